"""Pure functions from the model to chart specs (data, not HTML), and the chart's static HTML.

Placeholder until the charts issue lands: `spec()` names the chart, `figure_html()` draws a slot.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .model import Archive, Edition


@dataclass(frozen=True)
class ChartSpec:
    """What a chart shows."""

    id: str


def spec(archive: Archive, edition: Edition, chart_id: str) -> ChartSpec:
    """The spec of chart `chart_id` of the edition."""
    return ChartSpec(chart_id)


def figure_html(chart: ChartSpec) -> Markup:
    """The chart's place on the page."""
    return Markup('<div class="chart-slot" data-chart="{}"></div>').format(chart.id)
