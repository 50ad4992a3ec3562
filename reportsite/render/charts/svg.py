"""A chart spec drawn as SVG, readable without script and without CSS and themed by CSS on the page.

A chart is rows of horizontal bars. A row with one segment is a plain bar labelled at its end; a
row with several is a stacked bar whose segments follow the legend's order, each labelled inside
when its label fits and below the bar otherwise, separated from its neighbours by a border in the
page's background colour. A donut draws rows of one segment each as slices of a ring, clockwise
from the top, with a legend giving each its share and count. A line chart draws each segment name
(a series) as a line across the rows (editions), on a value axis from zero.

Text from the data (tier and group names in labels, captions and the legend) is escaped for HTML
and Markdown by `PageMarkup`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

from reportsite.model.escape import PageMarkup
from reportsite.render.charts.spec import DONUT, LINES, SHARE, ChartSpec, Row, end_text, hover_text, value, value_text

PALETTE = {
    "tier-0": ("#1f4e8c", "#3f7fc4"),
    "tier-1": ("#3a72b5", "#74a6dd"),
    "tier-2": ("#5b8fcc", "#aacbee"),
    "tier-3": ("#c0571a", "#f09a5f"),
    "tier-4": ("#a83232", "#e87a7a"),
    "incomplete": ("#5e5e5e", "#8a8a8a"),
    "not-reported": ("#8a8a8a", "#b5b5b5"),
    "neutral": ("#52667a", "#8ea3b8"),
    "series-0": ("#0072b2", "#56b4e9"),
    "series-1": ("#a86f00", "#f0b84d"),
    "series-2": ("#00805d", "#3fc39a"),
    "series-3": ("#a8508a", "#e09cc4"),
    "series-4": ("#5a7a1c", "#a4c65a"),
    "series-5": ("#c05500", "#f08a4b"),
}
"""Fill of each colour key in the light and the dark (`slate`) scheme. Tier `n` (0 the best) is
`tier-n` on every chart and table; `series-n` tell apart things without a colour of their own (the
groups of a donut). Every fill reaches 3:1 against the page's background in its scheme (white;
`BACKGROUNDS`), as WCAG 1.4.11 asks of the parts of a graphic, and the tiers' blues run from dark to
light in the same order in both schemes (the dark scheme does not reverse the ramp), as do the two
greys. The text on a fill is black or white, whichever contrasts more."""
BACKGROUNDS = ("#ffffff", "#1e2129")
"""The page's background in the light and the dark scheme (Material's `slate`: hsl(225, 15%, 14%))."""

FONTS = ('-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
         '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif')
WIDTH, FONT, SMALL, BAR, LINE, GAP = 320, 13, 12, 22, 17, 12
"""The view box is 320 units wide, narrower than a phone's text column (343 px at 375 px), so no
text is drawn smaller than its size in units (12) on a phone; wider screens show it larger."""
INK, PAPER = PageMarkup("#1a1a1a"), PageMarkup("#ffffff")
"""Colours of the text and the background where CSS does not reach (a download); markup, so that
their `#` is not escaped as if it were text."""


def key_class(key: str) -> str:
    """The class of a table row: the tier classes the site's tables share, else `chart-KEY`."""
    return key if key.startswith("tier-") else f"chart-{key}"


def luminance(hex_colour: str) -> float:
    """WCAG's relative luminance of a `#rrggbb` colour."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(fill: str) -> PageMarkup:
    """Black or white, whichever contrasts more with `fill` (WCAG relative luminance)."""
    lum = luminance(fill)
    return PageMarkup("#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff")


def palette_css() -> str:
    """The colour variables of every key in both schemes, and the rules that use them: the SVG's
    fills, and a swatch beside each row of a table that carries the key's class."""
    light = "".join(f"  --chart-{k}: {c}; --chart-{k}-text: {text_on(c)};\n" for k, (c, _) in PALETTE.items())
    dark = "".join(f"  --chart-{k}: {d}; --chart-{k}-text: {text_on(d)};\n" for k, (_, d) in PALETTE.items())
    rules = "".join(f".chart-svg .k-{k} {{ fill: var(--chart-{k}); }}\n"
                    f".chart-svg .s-{k} {{ stroke: var(--chart-{k}); }}\n"
                    f".chart-svg .t-{k} {{ fill: var(--chart-{k}-text); }}\n"
                    f".md-typeset table.data tr.{key_class(k)} > th[scope=\"row\"], "
                    f".md-typeset table.data tbody.{key_class(k)} > .tier-head > th "
                    f"{{ box-shadow: inset .25rem 0 var(--chart-{k}); }}\n" for k in PALETTE)
    return f":root {{\n{light}}}\n[data-md-color-scheme=\"slate\"] {{\n{dark}}}\n{rules}"


EM_WIDTHS = {**dict.fromkeys(" .,:;'|!il()[]", 0.3), **dict.fromkeys("%MWmw@", 0.95)}
"""Characters drawn much narrower or wider than the 0.62 em of most Latin letters and digits."""


def text_width(text: str, size: float) -> float:
    """An estimate of the drawn width, on the safe side: CJK characters one em, the rest by
    `EM_WIDTHS` or 0.62 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else EM_WIDTHS.get(c, 0.62) * size for c in text)


def wrap(text: str, size: float, width: float = WIDTH) -> list[str]:
    """`text` broken into lines no wider than `width`, between CJK characters or runs of the rest;
    closing punctuation stays on the line it closes."""
    lines = [""]
    for token in re.findall(r"[\x00-\x7f]+|.", text):
        if lines[-1] and token not in "、，。；：）" and text_width(lines[-1] + token, size) > width:
            lines.append(token.lstrip())
        else:
            lines[-1] += token
    return lines


def _n(x: float) -> str:
    return f"{round(x, 1):g}"


def _text(x: float, y: float, text: str, cls: str, fill: str, anchor: str = "start", size: int = FONT,
          bold: bool = False) -> PageMarkup:
    weight = ' font-weight="600"' if bold else ""
    return PageMarkup('<text x="{}" y="{}" class="{}" fill="{}" font-size="{}" text-anchor="{}"{}>{}</text>').format(
        _n(x), _n(y), cls, fill, size, anchor, PageMarkup(weight), text)


Span = tuple[float, float]


def _layout(callouts: list[tuple[float, float]]) -> tuple[list[tuple[int, float]], int, int]:
    """Where the callouts of one bar go: each (leader x, text width) gets a line (0 nearest the
    bar) and the left edge of its text. A label never covers another label or a leader on its
    line, and a leader never runs through a label on a line it crosses.

    Two staircases are tried: right to left, each label starting at its leader and stepping down
    to the left; and left to right, each ending at its leader and stepping down to the right,
    which suits a run of small segments at the bar's end. A label that would run off the drawing
    is pushed inside. The layout with fewer crossings (none when one is possible this way), then
    fewer lines, is kept. Returns (line, left) in the callouts' order, the number of lines and of
    crossings."""
    best: tuple[int, int, list[tuple[int, float]]] | None = None
    for step in (-1, 1):
        order = sorted(range(len(callouts)), key=lambda i: step * callouts[i][0])
        texts: list[list[Span]] = []
        leaders: list[list[float]] = []
        placed: dict[int, tuple[int, float]] = {}
        crossings = 0
        for i in order:
            cx, tw = callouts[i]
            # Placed leftwards, a label starts at its leader; rightwards, it ends there; either
            # is pushed inside the drawing when it would run off.
            left = min(max(cx - 3 if step < 0 else cx + 3 - tw, 0), WIDTH - tw)
            spot = None
            for k in range(len(texts) + 1):
                if any(a - 2 < cx < b + 2 for line in texts[:k] for a, b in line):
                    break  # the leader would run through a label: no line further down is better
                on_line = texts[k] if k < len(texts) else []
                through = leaders[k] if k < len(leaders) else []
                if all(left + tw + 4 < a or left - 4 > b for a, b in on_line) and \
                        all(x < left - 3 or x > left + tw + 3 for x in through):
                    spot = (k, left)
                    break
            if not spot:
                spot, crossings = (len(texts), left), crossings + 1
            k, left = spot
            while len(texts) <= k:
                texts.append([])
                leaders.append([])
            texts[k].append((left, left + tw))
            for j in range(k):
                leaders[j].append(cx)
            placed[i] = spot
        result = (crossings, len(texts), [placed[i] for i in range(len(callouts))])
        if best is None or result[:2] < best[:2]:
            best = result
    crossings, count, spots = best or (0, 0, [])
    return spots, count, crossings


def _legend(spec: ChartSpec, y: float) -> tuple[list[PageMarkup], float]:
    """Swatch and name of each segment of a stacked chart, wrapped to the width; the y below it."""
    parts, x = [], 0.0
    for name, key in spec.legend:
        w = 16 + text_width(name, SMALL) + 14
        if x + w > WIDTH:
            x, y = 0.0, y + LINE
        parts.append(PageMarkup('<rect x="{}" y="{}" width="12" height="12" class="seg k-{}" fill="{}" '
                            'stroke="{}"/>').format(_n(x), _n(y), key, PageMarkup(PALETTE[key][0]), PAPER))
        parts.append(_text(x + 16, y + 10.5, name, "fg", INK, size=SMALL))
        x += w
    return parts, y + LINE + 8


def _bar(spec: ChartSpec, row: Row, y: float, x0: float, per_unit: float) -> tuple[list[PageMarkup], float]:
    """One row: its label, its segments with their labels and callouts; the height it takes."""
    parts = [_text(x0 - 8, y + BAR / 2 + 4.5, row.label, "fg", INK, anchor="end")]
    callouts = []
    x = x0
    for seg in row.segments:
        if seg.count == 0:
            continue
        w = value(spec, seg) * per_unit
        fill = PageMarkup(PALETTE[seg.key][0])
        parts.append(PageMarkup('<rect x="{}" y="{}" width="{}" height="{}" class="seg k-{}" fill="{}" '
                            'stroke="{}" stroke-width="1.5"><title>{}</title></rect>').format(
            _n(x), _n(y), _n(w), BAR, seg.key, fill, PAPER, hover_text(row, seg)))
        if len(row.segments) > 1:
            inside = next((t for t in (f"{seg.name} {value_text(spec, seg)}", value_text(spec, seg))
                           if text_width(t, SMALL) + 6 <= w), None)
            if inside:
                parts.append(_text(x + w / 2, y + BAR / 2 + 4, inside, f"t-{seg.key}", text_on(fill),
                                   anchor="middle", size=SMALL))
            else:
                callouts.append((x + w / 2, f"{seg.name} {value_text(spec, seg)}"))
        x += w
    label = end_text(spec, row)
    if label:
        parts.append(_text(x + 4, y + BAR / 2 + 4, label, "fg", INK, size=SMALL))
    spots, lines, _ = _layout([(cx, text_width(text, SMALL)) for cx, text in callouts])
    for (cx, text), (k, left) in zip(callouts, spots):
        bottom = y + BAR + (k + 1) * LINE
        parts.append(PageMarkup('<line x1="{}" y1="{}" x2="{}" y2="{}" class="fg-line" stroke="{}"/>').format(
            _n(cx), _n(y + BAR), _n(cx), _n(bottom - SMALL), INK))
        parts.append(_text(left, bottom - 1, text, "fg", INK, size=SMALL))
    return parts, BAR + lines * LINE


def _bars(spec: ChartSpec) -> tuple[list[PageMarkup], int]:
    """Every row's bar, under a legend when stacked, with group headings; the height they take."""
    x0 = max(text_width(r.label, FONT) for r in spec.rows) + 10
    end = max(text_width(end_text(spec, r), SMALL) for r in spec.rows) + 8
    totals = [sum(value(spec, s) for s in r.segments) for r in spec.rows]
    scale = max(max(totals), 100 if spec.stacked and spec.measure == SHARE else 0) or 1
    body, y = _legend(spec, 6.0) if spec.legend else ([], 6.0)
    group = ""
    for row in spec.rows:
        if row.group and row.group != group:
            group = row.group
            body.append(_text(0, y + FONT, group, "fg", INK, bold=True))
            y += LINE + 4
        parts, height = _bar(spec, row, y, x0, (WIDTH - x0 - end) / scale)
        body.extend(parts)
        y += height + GAP
    return body, round(y)


def _donut(spec: ChartSpec, outer: float = 80, inner: float = 46) -> tuple[list[PageMarkup], int]:
    """The rows as slices of a ring, clockwise from the top, the total in its hole, and a legend
    beside it giving each row's share and count; the height they take."""
    cx, cy = outer + 2, outer + 8
    total = sum(r.segments[0].count for r in spec.rows)

    def at(angle: float, radius: float) -> str:
        return f"{_n(cx + radius * math.sin(angle))} {_n(cy - radius * math.cos(angle))}"

    body, start = [], 0.0
    for row in spec.rows:
        seg = row.segments[0]
        if not seg.count:
            continue
        end = start + 2 * math.pi * seg.count / total
        mid = (start + end) / 2
        # Two arcs of at most half a turn each, so a slice of the whole ring is drawn too.
        path = (f"M {at(start, outer)} A {outer} {outer} 0 0 1 {at(mid, outer)} A {outer} {outer} 0 0 1 "
                f"{at(end, outer)} L {at(end, inner)} A {inner} {inner} 0 0 0 {at(mid, inner)} "
                f"A {inner} {inner} 0 0 0 {at(start, inner)} Z")
        body.append(PageMarkup('<path d="{}" class="seg k-{}" fill="{}" stroke="{}" stroke-width="1.5">'
                               '<title>{}</title></path>').format(
            path, seg.key, PageMarkup(PALETTE[seg.key][0]), PAPER, hover_text(row, seg)))
        start = end
    body.append(_text(cx, cy + 5, f"{total} 家", "fg", INK, anchor="middle", bold=True))
    x, y = 2 * outer + 24, 8.0
    for row in spec.rows:
        seg = row.segments[0]
        body.append(PageMarkup('<rect x="{}" y="{}" width="12" height="12" class="seg k-{}" fill="{}" '
                               'stroke="{}"/>').format(_n(x), _n(y), seg.key, PageMarkup(PALETTE[seg.key][0]), PAPER))
        lines = wrap(f"{row.label}　{end_text(spec, row)}", SMALL, WIDTH - x - 16)
        for i, line in enumerate(lines):
            body.append(_text(x + 16, y + 10.5 + i * LINE, line, "fg", INK, size=SMALL))
        y += len(lines) * LINE + 4
    return body, round(max(y, cy + outer + 8))


def _step(peak: float) -> float:
    """A round gridline step (1, 2 or 5 times a power of ten) giving at most five steps to `peak`."""
    scale = 10 ** math.floor(math.log10(peak)) if peak > 0 else 1
    return next(m * scale for m in (0.2, 0.5, 1, 2, 5, 10) if peak / (m * scale) <= 5)


def _lines(spec: ChartSpec, height: float = 150) -> tuple[list[PageMarkup], int]:
    """Each series of the legend as a line across the rows, oldest first, with a dot (and its
    tooltip) at each row and its value at the last; the value axis from zero, gridlines labelled.

    The right margin is the widest end label, measured (`text_width`), so none is cut; end labels
    are pushed apart so that none touches the next, and the rows' labels are thinned to every
    n-th when they would touch each other."""
    body, top = _legend(spec, 6.0)
    top += 8
    ends: list[tuple[float, str]] = []
    for name, key in spec.legend:
        final = [seg for row in spec.rows[-1:] for seg in row.segments if (seg.line, seg.key) == (name, key)]
        ends += [(0.0, f"{name} {value_text(spec, seg)}") for seg in final]
    left = 44
    right = WIDTH - 8 - max([text_width(t, SMALL) for _, t in ends] + [0]) - 2
    peak = max([value(spec, s) for r in spec.rows for s in r.segments] + [0])
    step = _step(peak)
    ymax = step * max(1, math.ceil(peak / step))
    unit = "%" if spec.measure == SHARE else ""

    def at_y(v: float) -> float:
        return top + height - v / ymax * height

    def at_x(i: int) -> float:
        return left + (right - left) * i / (len(spec.rows) - 1) if len(spec.rows) > 1 else (left + right) / 2

    for k in range(round(ymax / step) + 1):
        v = k * step
        body.append(PageMarkup('<line x1="{}" y1="{}" x2="{}" y2="{}" class="fg-line" stroke="{}" '
                               'stroke-opacity="0.3"/>').format(left, _n(at_y(v)), _n(right), _n(at_y(v)), INK))
        body.append(_text(left - 6, at_y(v) + 4, f"{v:g}{unit}", "fg", INK, anchor="end", size=SMALL))
    last = len(spec.rows) - 1
    widest = max(text_width(r.label, SMALL) for r in spec.rows)
    gap = (right - left) / last if last else widest
    # The newest label ends at the axis's end (and the oldest starts at its start), so the label
    # next to either needs room for half of itself and the whole of the other, and a space.
    every = max(1, math.ceil((1.5 * widest + 6) / gap))
    for i, row in enumerate(spec.rows):
        if (last - i) % every:
            continue  # counted back from the newest, which is always labelled
        # The first label starts at the axis's start, clear of the value axis's labels; the last
        # ends at the axis's end, clear of the values beside the lines.
        anchor = "middle" if not last or 0 < i < last else "start" if i == 0 else "end"
        body.append(_text(at_x(i), top + height + 18, row.label, "fg", INK, anchor=anchor, size=SMALL))
    ends = []
    for name, key in spec.legend:
        points = [(at_x(i), at_y(value(spec, seg)), row, seg) for i, row in enumerate(spec.rows)
                  for seg in row.segments if (seg.line, seg.key) == (name, key)]
        fill = PageMarkup(PALETTE[key][0])
        body.append(PageMarkup('<polyline points="{}" class="s-{}" fill="none" stroke="{}" stroke-width="2"/>')
                    .format(" ".join(f"{_n(x)},{_n(y)}" for x, y, _, _ in points), key, fill))
        for x, y, row, seg in points:
            body.append(PageMarkup('<circle cx="{}" cy="{}" r="3.5" class="seg k-{}" fill="{}" stroke="{}">'
                                   '<title>{}</title></circle>').format(_n(x), _n(y), key, fill, PAPER,
                                                                       hover_text(row, seg)))
        if points:
            ends.append((points[-1][1], f"{name} {value_text(spec, points[-1][3])}"))
    ends.sort()
    for k in range(1, len(ends)):  # end labels pushed apart so that none touches the one above
        ends[k] = (max(ends[k][0], ends[k - 1][0] + SMALL + 3), ends[k][1])
    for y, text in ends:
        body.append(_text(right + 8, y + 4, text, "fg", INK, size=SMALL))
    return body, round(max(top + height + 28, ends[-1][0] + 10 if ends else 0))


def svg(spec: ChartSpec) -> PageMarkup:
    """The chart drawn as SVG: readable without script and without CSS, themed by CSS on the page.

    The caption and headline are drawn above the view box (`data-heading` tall): the page shows
    them as HTML, and a download widens the view box to include them.

    Row labels sit left of the bars; bar lengths are to scale across the chart (a stacked share
    chart spans 100%); labels are estimated to fit, since no font metrics are at hand here."""
    shapes: dict[str, Callable[[ChartSpec], tuple[list[PageMarkup], int]]] = {DONUT: _donut, LINES: _lines}
    body, height = shapes.get(spec.shape, _bars)(spec)
    heading = [(line, SMALL, False) for line in wrap(spec.title, SMALL)]
    heading += [(line, FONT, True) for line in wrap(spec.headline, FONT)]
    above = len(heading) * LINE + 8
    for i, (line, size, bold) in enumerate(heading):
        body.append(_text(0, i * LINE + 13 - above, line, "fg", INK, size=size, bold=bold))
    head = PageMarkup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" data-heading="{above}" role="img" aria-label="{label}" aria-describedby="{id}-desc" '
        'font-family="{fonts}" font-size="{size}">\n<title>{title}</title>\n<desc>{desc}</desc>\n'
        '<rect class="bg" y="-{above}" width="{w}" height="{total}" fill="{paper}"/>').format(
        w=WIDTH, h=height, above=above, total=height + above, label=f"{spec.title}：{spec.headline}",
        id=spec.id, fonts=FONTS, size=FONT, title=spec.title, desc=spec.description, paper=PAPER)
    return PageMarkup("\n").join([head, *body, PageMarkup("</svg>")])
