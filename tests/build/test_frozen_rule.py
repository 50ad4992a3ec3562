"""The rule for site-wide changes and frozen editions (docs/data.md, *Frozen editions and site-wide
changes*): a frozen edition's pages stay as they are and gain only what root files deliver; whether
a change to it is a correction is decided by what a reader reads (`search.reader_text`)."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil

import pytest
from conftest import EDITION_YAML, RESULTS, ROOT, run_build
from test_past_unchanged import LATER, OLD, hashes, later_edition, rename

from reportsite.render.pages import edition_pages
from reportsite.render.search import reader_text


@pytest.fixture
def pages(project):
    archive, _ = project.check()
    return edition_pages(archive, archive.editions[0], None)


def with_page(pages, name: str, **changes):
    """`pages` with the page `name` changed."""
    return dataclasses.replace(pages, pages=tuple(dataclasses.replace(p, **changes) if p.name == name else p
                                                  for p in pages.pages))


def test_markup_around_the_same_text_is_the_same_report(pages):
    index = next(p for p in pages.pages if p.name == "index.md")
    restyled = index.markdown.replace('<table class="data tier-summary">', '<table class="data tier-summary wide" data-x="1">')
    assert restyled != index.markdown
    assert reader_text(with_page(pages, "index.md", markdown=restyled)) == reader_text(pages)
    alliance = next(p for p in pages.pages if p.name == "alliances/110.md")
    assert reader_text(with_page(pages, "alliances/110.md", html=alliance.html.replace("<dl ", '<dl data-new="1" '))) \
        == reader_text(pages)


@pytest.mark.parametrize("old, new", [("其中 5 家录入", "其中 6 家录入"), ("评价结果概览", "评价结果一览")])
def test_a_changed_figure_or_sentence_is_another_report(pages, old, new):
    index = next(p for p in pages.pages if p.name == "index.md")
    assert old in index.markdown
    assert reader_text(with_page(pages, "index.md", markdown=index.markdown.replace(old, new))) != reader_text(pages)


def build(project, *args: str):
    return run_build("--data", "data", "--out", "site", "--config", "mkdocs.yml", "--lang", "en", *args,
                     cwd=project.root)


def test_a_frozen_edition_gains_the_names_of_each_year_through_the_root_history_file(project):
    later_edition(project)
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "frozen: true\n")
    (project.root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    assert build(project).returncode == 0
    before = hashes(project.root / "site" / "2020-2021")
    rename(project)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert hashes(project.root / "site" / "2020-2021") == before
    page = (project.root / "site" / "2020-2021" / "alliances" / "110.html").read_text(encoding="utf-8")
    assert 'data-history="110"' in page
    history = (project.root / "site" / "history" / "110.js").read_text(encoding="utf-8")
    rows = json.loads(re.search(r"= (\[.*\]);", history).group(1))
    assert [r["name"] for r in rows] == [OLD, "半导体照明与显示产业技术创新战略联盟"]


def test_a_new_footer_reaches_other_editions_and_leaves_a_frozen_one_as_stored(project):
    later_edition(project)
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "frozen: true\n")
    settings = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(settings, encoding="utf-8")
    assert build(project).returncode == 0
    before = hashes(project.root / "site" / "2020-2021")
    (project.root / "mkdocs.yml").write_text(settings.replace("icp: 待填写", "icp: 京ICP备00000001号"),
                                             encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2020-2021 (frozen, unchanged): copied" in result.stdout
    assert hashes(project.root / "site" / "2020-2021") == before
    assert "京ICP备00000001号" in (project.root / "site" / LATER / "index.html").read_text(encoding="utf-8")
    assert "version" not in project.text(EDITION_YAML)


BEFORE_THE_COLUMN = {
    ("data", "content", "2020-2021"): "f2af4e0dc115f2ea27b92a50f7c94afea038ee10a17ede51e6957e002f407257",
    ("examples/archive/data", "examples/archive/content", "2016-2017"):
        "84450ea2e8a6f4e0cae3ddb158aaac6fd006007b267c39a70352c817330d2290",
    ("examples/archive/data", "examples/archive/content", "2018-2019"):
        "860d0cc958cc7a34a6c64742f2d9785ed72f31a4229160bd834efd4f578828e3",
    ("examples/archive/data", "examples/archive/content", "2020-2021"):
        "82d6517e0b2d543648f27644b520cab18cf87941dcf5539058ad9c0d68cb1e30",
}
"""The fingerprint of every edition of the repository's projects as the generator computed it
before the column's markup (heading anchors, phone cards, the ranking's download bar, 并列) and
before manifests recorded `sources`: a frozen edition stored then is copied as it is, never stopped
with `[frozen]` (docs/data.md)."""


def without_indicator_scores(data: str, edition: str, tmp_path) -> str:
    """The data folder as it was before the demo's synthetic editions gained indicator scores
    (issue 25: `indicators.yaml`, `indicator-scores.yaml` and `indicators_publish`, new data whose
    pages say more): a copy without them, so the rest of their text is pinned as before."""
    folder = ROOT / data / edition
    if not (folder / "indicator-scores.yaml").exists():
        return str(ROOT / data)
    copy = tmp_path / "data"
    shutil.copytree(ROOT / data, copy)
    for name in ("indicators.yaml", "indicator-scores.yaml"):
        (copy / edition / name).unlink()
    text = (copy / edition / "edition.yaml").read_text(encoding="utf-8")
    (copy / edition / "edition.yaml").write_text(re.sub(r"(?m)^indicators_publish:.*\n", "", text), encoding="utf-8")
    return str(copy)


@pytest.mark.parametrize("data, content, edition", sorted(BEFORE_THE_COLUMN))
def test_the_fingerprint_of_each_edition_is_what_it_was_before_the_column_markup(data, content, edition, tmp_path):
    from reportsite.build.freeze import inputs_fingerprint, worded_before_sources
    from reportsite.read.check import check_archive

    archive, _ = check_archive(without_indicator_scores(data, edition, tmp_path))
    pages = edition_pages(archive, archive.edition(edition), str(ROOT / content))
    assert inputs_fingerprint(worded_before_sources(reader_text(pages))) == BEFORE_THE_COLUMN[data, content, edition]


@pytest.mark.parametrize("page, now, before", [
    ("appendix-4.html", "本届未评定 A 级联盟。", "本年度未评定 A 级活跃度联盟。"),
    ("index.html", "得分在 95–100 和 85–89 分的联盟最多，各 10 家", "得分在 95–100 分的联盟最多，有 10 家"),
    ("changes.html",
     "本年度新出现的联盟 2 家：甲产业技术创新战略联盟（D105）、数字音视频编解码（AVS）产业技术创新战略联盟（209）。"
     " 上一年度出现、本年度未出现的联盟 1 家：乙产业技术创新战略联盟（240）。",
     "本年度新出现的联盟 2 家：甲产业技术创新战略联盟、数字音视频编解码（AVS）产业技术创新战略联盟。"
     " 上一年度出现、本年度未出现的联盟 1 家：乙产业技术创新战略联盟（240）。"),
])
def test_text_is_read_back_in_the_words_the_tool_used_before_sources(page, now, before):
    from reportsite.build.freeze import worded_before_sources

    def line(name, text):
        return json.dumps([name, "", "", [["", "", text]]], ensure_ascii=False)

    assert worded_before_sources(line(page, now)) == line(page, before)
    assert worded_before_sources(line(page, before)) == line(page, before)
    assert worded_before_sources(line("other.html", now)) == line("other.html", now), "only on its own page"


def frozen_once(project) -> tuple[dict, dict]:
    """The project's edition built frozen beside a later one: its stored manifest and page hashes."""
    later_edition(project)
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "frozen: true\n")
    (project.root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((project.root / "frozen" / "2020-2021" / "MANIFEST.json").read_text(encoding="utf-8"))
    return manifest, hashes(project.root / "site" / "2020-2021")


def write_manifest(project, manifest: dict) -> None:
    path = project.root / "frozen" / "2020-2021" / "MANIFEST.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def test_a_tool_that_words_the_pages_otherwise_copies_a_frozen_edition_whose_sources_are_unchanged(project):
    """As if a later tool printed other words: the reader text's fingerprint no longer matches, what
    the people wrote does, and the stored pages are published as they are, without a stop."""
    manifest, before = frozen_once(project)
    assert len(manifest["sources"]) == 64
    write_manifest(project, {**manifest, "inputs": "0" * 64})
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (f"2020-2021 (frozen; data and narrative unchanged): copied {len(manifest['files'])} stored files. This tool now words the"
            " pages otherwise; the stored pages are published as they are (no correction: do not run correct)") \
        in result.stdout
    assert hashes(project.root / "site" / "2020-2021") == before


def test_an_edition_frozen_before_sources_is_copied_and_its_manifest_gains_them(project):
    """A manifest of the tool before `sources` (its reader text in the words of that time) is
    matched, copied, and records `sources`, its files' checksums unchanged."""
    from reportsite.build.freeze import inputs_fingerprint, worded_before_sources
    from reportsite.read.check import check_archive

    manifest, before = frozen_once(project)
    archive, _ = check_archive(str(project.data))
    edition = archive.edition("2020-2021")
    old_inputs = inputs_fingerprint(worded_before_sources(reader_text(edition_pages(archive, edition, None))))
    legacy = {k: v for k, v in manifest.items() if k != "sources"} | {"inputs": old_inputs}
    write_manifest(project, legacy)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2020-2021 (frozen, unchanged): copied" in result.stdout
    assert hashes(project.root / "site" / "2020-2021") == before
    upgraded = json.loads((project.root / "frozen" / "2020-2021" / "MANIFEST.json").read_text(encoding="utf-8"))
    assert upgraded == legacy | {"sources": manifest["sources"]}


def test_a_changed_score_in_a_frozen_edition_still_stops_the_build_at_its_edition_file(project):
    """What the rule protects: a figure changed by hand is a correction, located at edition.yaml."""
    frozen_once(project)
    stored = hashes(project.root / "frozen" / "2020-2021")
    project.replace(RESULTS, '{code: "104", score: 72}', '{code: "104", score: 71}')
    result = build(project)
    assert result.returncode == 1
    assert f"data/{EDITION_YAML}: error [frozen] edition 2020-2021 is frozen, and its data or narrative changed" \
        in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert hashes(project.root / "frozen" / "2020-2021") == stored
