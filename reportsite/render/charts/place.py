"""An edition's charts in the order its pages place them: each `chart(...)` of content declared
(`options.py`) and counted (`count.py`); a numbered chart is the next 图 N."""

from __future__ import annotations

from reportsite.model.records import Archive, Edition
from reportsite.render.charts.count import spec
from reportsite.render.charts.options import declare
from reportsite.render.charts.rates import RateSpec
from reportsite.render.charts.spec import ChartSpec


class EditionCharts:
    """The charts of one edition in the order its pages place them. A numbered chart is the next
    图 N, with the id `fig-N`; another takes its name (`funnel`) or `chart-K` as its id."""

    def __init__(self, archive: Archive, edition: Edition):
        self.archive, self.edition = archive, edition
        self.numbered = 0
        self.ids: set[str] = set()

    def place(self, in_report: bool, *names, **options) -> ChartSpec | RateSpec:
        """The spec of `chart(*names, **options)` on a page of the report's text (`in_report`,
        numbered unless it says otherwise) or another page (not numbered unless it says so)."""
        d = declare(self.edition, *names, **options)
        numbered = in_report if d.numbered is None else d.numbered
        if numbered:
            number, chart_id = self.numbered + 1, f"fig-{self.numbered + 1}"
        else:
            number, stem = None, d.name or "chart"
            chart_id = next(f"{stem}-{k}" if k > 1 or not d.name else stem
                            for k in range(1, len(self.ids) + 2)
                            if (f"{stem}-{k}" if k > 1 or not d.name else stem) not in self.ids)
        result = spec(self.edition, d, chart_id, number, self.archive)
        self.numbered += bool(numbered)
        self.ids.add(chart_id)
        return result
