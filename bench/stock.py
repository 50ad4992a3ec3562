#!/usr/bin/env python3
"""The stock stack on the same pages: what a user gets from MkDocs + Material defaults.

    python bench/stock.py --data data --content content --out bench/out/stock/default

Writes one MkDocs project (`OUT/docs/` and two configurations) holding every edition of the archive:
our pages' Markdown as our generator renders it (Jinja figures already filled in), with each chart
replaced by Plotly's own `fig.to_html(include_plotlyjs="cdn", full_html=False)`. The configuration
is Material's defaults plus what the pages need to render (tables, attribute lists, Markdown in
HTML, admonitions), the search plugin (which segments Chinese with jieba, installed from
requirements.txt) and `use_directory_urls` left at its default. One site holds every edition; the
project has one configuration per navigation, both over the same `docs/`:

- `mkdocs-whole.yml`: no `nav`, so MkDocs lists every page, alliance pages included, in a
  navigation written into every page; what a user who copies the editions into `docs/` gets.
- `mkdocs-report.yml`: a hand-written `nav` of every edition's report pages as ours has them
  (overview, narrative, appendices, ranking, errata), alliance pages left out; the stronger baseline.

Build one with `python -m mkdocs build -f OUT/mkdocs-whole.yml`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = "<!-- stock-chart -->"
"""Written into each chart's HTML, to check that every chart our renderer placed was replaced."""
NAVS = ("whole", "report")
"""The navigations, one configuration each: `mkdocs-whole.yml` (MkDocs' own) and `mkdocs-report.yml`."""


def plotly_html(spec, div_id: str) -> str:
    """A chart spec drawn the stock way: a horizontal (stacked) bar chart by Plotly, CDN script."""
    import plotly.graph_objects as go

    def value(segment):
        return float(segment.share) if spec.measure == "share" else segment.count

    labels = [row.label for row in spec.rows]
    names = list(dict.fromkeys(s.name for row in spec.rows for s in row.segments))
    if all(len(row.segments) <= 1 for row in spec.rows):
        names = [spec.caption]
    traces = []
    for name in names:
        xs = []
        for row in spec.rows:
            match = [s for s in row.segments if s.name == name or len(names) == 1]
            xs.append(value(match[0]) if match else 0)
        traces.append(go.Bar(y=labels, x=xs, name=name, orientation="h"))
    fig = go.Figure(traces)
    fig.update_layout(title=spec.title, barmode="stack", yaxis={"autorange": "reversed"})
    html = fig.to_html(include_plotlyjs="cdn", full_html=False, div_id=div_id)
    return f"{MARK}{html}"


def edition_markdown(project: str, data_dir: str, content_root: str):
    """[(edition, [Page, ...])] rendered by the project's own stages, charts drawn the stock way."""
    sys.path.insert(0, project)
    from markupsafe import Markup

    from reportsite.read.check import check_archive
    from reportsite.render import pages as page_stage
    from reportsite.render.pages import edition_pages

    archive, problems = check_archive(data_dir)
    errors = [p for p in problems if getattr(p, "severity", "") == "error"]
    if archive is None or errors:
        raise SystemExit(f"stock.py: the data in {data_dir} has errors; run build.py check")
    current = {"edition": ""}
    original = page_stage.figure_html

    def stock_figure(spec, *args, **kwargs):
        return Markup(plotly_html(spec, f"{current['edition']}-{spec.id}"))

    page_stage.figure_html = stock_figure
    try:
        out = []
        for edition in archive.editions:
            current["edition"] = edition.id
            pages = edition_pages(archive, edition, os.path.join(content_root, edition.id))
            placed = sum(len(p.charts) for p in pages.pages)
            drawn = sum(p.markdown.count(MARK) for p in pages.pages)
            if placed != drawn:
                raise SystemExit(f"stock.py: {edition.id}: {placed} charts placed but {drawn} drawn by "
                                 "Plotly; reportsite no longer draws charts through pages.figure_html")
            out.append((edition, list(pages.pages)))
        return out
    finally:
        page_stage.figure_html = original


H1 = re.compile(r"<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)
H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>\s*", re.DOTALL)


def page_markdown(page) -> str:
    """The page as the stock stack gets it. Ours writes alliance pages as HTML bodies (stamped into
    a shell, `reportsite/write/stamp.py`); a stock user writes them as Markdown: the title and section
    headings as Markdown headings (so MkDocs lists them in the table of contents), the rest the
    same HTML, as raw blocks."""
    if not page.html:
        return page.markdown
    body = H2.sub(lambda m: f"\n\n## {m.group(1)}\n\n", H1.sub("", page.html, count=1))
    return f"# {page.title}\n\n{body.strip()}\n"


def edition_nav(edition, pages) -> list:
    """The edition's navigation as ours has it (sections, then pages), paths under the edition."""
    out: list = []
    sections: dict[str, list] = {}
    for page in pages:
        if not getattr(page, "in_nav", True):
            continue
        entry = {"概览" if page.name == "index.md" else page.title: f"{edition.id}/{page.name}"}
        section = getattr(page, "section", "")
        if not section:
            out.append(entry)
            continue
        if section not in sections:
            sections[section] = []
            out.append({section: sections[section]})
        sections[section].append(entry)
    return out



def write_project(project: str, data_dir: str, content_root: str, out: str) -> int:
    """Write the stock MkDocs project into `out`: `docs/` and `mkdocs-NAV.yml` for each of `NAVS`;
    the number of pages."""
    rendered = edition_markdown(project, data_dir, content_root)
    docs = os.path.join(out, "docs")
    shutil.rmtree(docs, ignore_errors=True)
    count = 0
    for edition, pages in rendered:
        for page in pages:
            path = os.path.join(docs, edition.id, page.name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(page_markdown(page))
            count += 1
    newest_first = sorted(rendered, key=lambda item: item[0].id, reverse=True)
    home = ["# 产业技术创新战略联盟活跃度评价报告", ""]
    home += [f"- [{e.title}]({e.id}/index.md)" for e, _ in newest_first]
    with open(os.path.join(docs, "index.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(home) + "\n")
    config = {
        "site_name": "产业技术创新战略联盟活跃度评价报告",
        "theme": {"name": "material", "language": "zh"},
        "plugins": ["search"],
        "markdown_extensions": ["tables", "attr_list", "md_in_html", "admonition", "toc"],
    }
    report_nav = [{"首页": "index.md"}] + [{e.title: edition_nav(e, pages)} for e, pages in newest_first]
    for nav in NAVS:
        with open(os.path.join(out, f"mkdocs-{nav}.yml"), "w", encoding="utf-8", newline="\n") as f:
            yaml.safe_dump({**config, "nav": report_nav} if nav == "report" else config, f,
                           allow_unicode=True, sort_keys=False, width=1000)
    return count + 1


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--project", default=ROOT, help="the generator whose pages to render (default: this repo)")
    ap.add_argument("--data", required=True, help="data folder")
    ap.add_argument("--content", required=True, help="content folder")
    ap.add_argument("--out", required=True, help="folder for mkdocs.yml and docs/")
    args = ap.parse_args(argv)
    count = write_project(os.path.abspath(args.project), args.data, args.content, args.out)
    print(f"wrote a stock MkDocs project of {count} pages into {args.out}: build it with "
          f"python -m mkdocs build -f {os.path.join(args.out, 'mkdocs-whole.yml')} (or mkdocs-report.yml)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
