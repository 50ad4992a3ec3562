"""Each alliance's indicator scores as downloads (`indicator-scores.csv`, `.xlsx`, `.json`), for an
edition that publishes them (`indicators_publish: alliance`); no other edition has these files.
The results downloads (`exports.py`) keep their columns.

Pure: bytes by file name. Text is kept as text in the spreadsheets as `exports.py` keeps it.
"""

from __future__ import annotations

import csv
import io
import json

from reportsite.model import figures as F
from reportsite.model import findings as X
from reportsite.model.escape import spreadsheet_text
from reportsite.model.records import Archive, Edition
from reportsite.render.exports import download_workbook
from reportsite.render.indicators import ALLIANCE

STEM = "indicator-scores"


def _points(value) -> str:
    return format(value.normalize(), "f")


def headers(edition: Edition) -> tuple[str, ...]:
    """编号, 名称, 档次, 评分, each first-level indicator's score, each item's, and 加减分 when
    any alliance has one; each indicator with its points."""
    firsts = [f"{m.name}（{_points(m.points)} 分，一级指标）" for m in X.measures(edition, X.FIRST)]
    items = [f"{m.name}（{_points(m.points)} 分）" for m in X.measures(edition, X.SECOND)]
    extra = ["加减分"] if any(s.adjustment for s in edition.scores) else []
    return ("编号", "名称", "档次", "评分", *firsts, *items, *extra)


def cells(archive: Archive, edition: Edition) -> list[list]:
    """One row per alliance with scores, in the ranking's order."""
    by_code = {s.code: s for s in edition.scores}
    adjusted = any(s.adjustment for s in edition.scores)
    out = []
    for row in F.ranking(edition):
        s = by_code.get(row.result.code)
        if s is None:
            continue
        numbers = [F.plain_number(float(v)) for v in (*X.values(s, X.FIRST), *X.values(s, X.SECOND))]
        out.append([s.code, archive.alliance(s.code).name_in(edition.id), edition.tier(row.result.tier).name,
                    F.plain_number(row.result.score), *numbers,
                    *([F.plain_number(s.adjustment)] if adjusted else [])])
    return out


def scores_csv(edition: Edition, rows: list[list]) -> bytes:
    """UTF-8 with BOM, CRLF, a formula-like text kept as text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([spreadsheet_text(h) for h in headers(edition)])
    for row in rows:
        w.writerow([spreadsheet_text(c) if isinstance(c, str) else c for c in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def scores_json(edition: Edition, archive: Archive) -> bytes:
    """The indicators with their points, then each alliance's second-level scores by indicator
    (first-level ones are their sums), for programs."""
    by_code = {s.code: s for s in edition.scores}
    payload = {
        "edition": edition.id, "title": edition.title,
        "indicators": [{"name": i.name, "max": F.plain_number(i.max),
                        "items": [{"name": n, "max": F.plain_number(m)} for n, m in zip(i.items, i.item_max)]}
                       for i in edition.indicators],
        "rows": [{"code": code, "name": archive.alliance(code).name_in(edition.id), "score": F.plain_number(score),
                  "items": [[F.plain_number(v) for v in group] for group in by_code[code].items],
                  "adjustment": F.plain_number(by_code[code].adjustment)}
                 for code, score in ((r.result.code, r.result.score) for r in F.ranking(edition)) if code in by_code],
    }
    return (json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def indicator_downloads(archive: Archive, edition: Edition) -> dict[str, bytes]:
    """`indicator-scores.csv`, `.xlsx` and `.json` of an edition that publishes each alliance's
    scores; none otherwise."""
    if edition.indicators_publish != ALLIANCE or not edition.scores:
        return {}
    rows = cells(archive, edition)
    notes = (edition.title, "各联盟的指标得分：二级指标为专家评分，一级指标为其二级指标得分之和；评分为总分。",
             "本表按本年度的公开方式（indicators_publish: alliance）公开。")
    return {f"{STEM}.csv": scores_csv(edition, rows),
            f"{STEM}.xlsx": download_workbook(edition, notes, "指标得分", headers(edition), rows, {"B": 44}),
            f"{STEM}.json": scores_json(edition, archive)}
