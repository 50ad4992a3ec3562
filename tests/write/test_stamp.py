"""Alliance pages stamped into MkDocs-rendered shells: grouping, one-pass stamping, and the built
pages carrying their own title, description, outline and body."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from reportsite.model import figures as F
from reportsite.model.errors import BuildError
from reportsite.read.check import check_archive
from reportsite.render.pages import Page
from reportsite.render.profiles import standings
from reportsite.write import stamp
from reportsite.write.edition import built_pages



def body(title: str, *sections: tuple[str, str]) -> str:
    heads = "".join(f'<h2 id="{i}">{t}</h2>\n<p>text of {i}</p>\n' for i, t in sections)
    return f'<h1 id="title">{title}</h1>\n<p>intro</p>\n{heads}'


def html_page(code: str, title: str, *sections: tuple[str, str], folder: str = "alliances") -> Page:
    return Page(f"{folder}/{code}.md", title, "", description=f"about {code}", in_nav=False,
                html=body(title, *sections))


def test_pages_with_the_same_outline_share_one_shell():
    pages = (
        Page("preface.md", "一、前言", "# 一、前言\n"),
        html_page("110", "甲", ("result", "结果"), ("history", "历年")),
        html_page("111", "乙", ("result", "结果"), ("history", "历年"), ("experts", "专家")),
        html_page("112", "丙", ("result", "结果"), ("history", "历年")),
        html_page("D101", "丁", ("result", "结果"), ("history", "历年"), folder="other"),
    )
    groups = stamp.shells(pages)
    assert [g.page.name for g in groups] == ["alliances/_shell-1.md", "alliances/_shell-2.md", "other/_shell-3.md"]
    assert [[p.name for p in g.members] for g in groups] == [
        ["alliances/110.md", "alliances/112.md"], ["alliances/111.md"], ["other/D101.md"]]
    assert groups[1].page.markdown == (
        f"# {stamp.TITLE} {{#title}}\n## 结果 {{#result}}\n## 历年 {{#history}}\n## 专家 {{#experts}}\n"
        f"{stamp.END}\n")
    assert groups[0].page.description == stamp.DESCRIPTION and not groups[0].page.in_nav


SHELL = (f"<title>{stamp.TITLE} - 站点</title><meta name=\"description\" content=\"{stamp.DESCRIPTION}\">"
         f"<div class=\"topic\">{stamp.TITLE}</div><nav><a href=\"#result\">结果</a></nav><article>"
         f"<h1 id=\"title\">{stamp.TITLE}</h1>\n<h2 id=\"result\">结果</h2>\n<p>{stamp.END}</p></article>")


def test_stamp_fills_every_marker_once():
    page = Page("alliances/110.md", "&lt;b&gt;甲&amp;乙", "", description="甲&amp;乙的 &#34;评价&#34;",
                in_nav=False, html=f'<h1 id="title">&lt;b&gt;甲&amp;乙</h1>\n<p>正文写着 {stamp.TITLE} 与 {stamp.END}</p>\n')
    out = stamp.stamp(SHELL, page)
    assert out == ("<title>&lt;b&gt;甲&amp;乙 - 站点</title><meta name=\"description\" content=\"甲&amp;乙的 &#34;评价&#34;\">"
                   "<div class=\"topic\">&lt;b&gt;甲&amp;乙</div><nav><a href=\"#result\">结果</a></nav><article>"
                   f"<h1 id=\"title\">&lt;b&gt;甲&amp;乙</h1>\n<p>正文写着 {stamp.TITLE} 与 {stamp.END}</p></article>")


def test_a_shell_without_its_markers_stops_the_build(tmp_path):
    groups = stamp.shells((html_page("110", "甲", ("result", "结果")),))
    (tmp_path / "alliances").mkdir()
    shell = tmp_path / "alliances" / "_shell-1.html"
    shell.write_text("<title>x</title><article></article>", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        built_pages(str(tmp_path), groups)
    assert err.value.slug == "build" and err.value.location == str(shell)
    assert not (tmp_path / "alliances" / "110.html").exists()


def test_the_built_pages_are_read_once_with_each_shell_stamped_and_removed(tmp_path):
    groups = stamp.shells((html_page("110", "甲", ("result", "结果")), html_page("111", "乙", ("result", "结果"))))
    (tmp_path / "alliances").mkdir()
    (tmp_path / "alliances" / "_shell-1.html").write_text(SHELL, encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    built = built_pages(str(tmp_path), groups)
    assert sorted(built) == ["alliances/110.html", "alliances/111.html", "index.html"]
    assert built["index.html"] == "<p>home</p>"
    assert not (tmp_path / "alliances" / "_shell-1.html").exists()
    text = built["alliances/111.html"]
    assert "<title>乙 - 站点</title>" in text and 'content="about 111"' in text and "<p>text of result</p>" in text


def test_built_alliance_pages_carry_their_own_title_outline_and_body(built_site):
    folder = Path(built_site) / "2020-2021" / "alliances"
    assert not list(folder.glob("_shell-*")), "shells are removed"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 106
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "@@stamp" not in text, path.name
        h1 = re.search(r'<h1 id="title">(.*?)</h1>', text).group(1)
        assert f"<title>{h1} - 2020-2021 年度" in text and f'<meta name="ArticleTitle" content="{h1}">' in text
        assert re.search(r'<meta name="description" content="' + re.escape(h1) + r"（", text)
        toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', text, re.DOTALL).group(0)
        # The body's sections; the 引用本页 box after it is the theme's, outside the outline.
        article = text[text.index("<article"):text.index('<section class="cite-box"')]
        assert re.findall(r'href="#([^"]+)"', toc) == re.findall(r'<h2 id="([^"]+)"', article), path.name
        assert 'id="cite-title">引用本页</h2>' in text
    page = (folder / "110.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="([^"]+)"', page) == ["result", "history", "experts", "mentions", "cite-title"]
    assert "阮军（专家组成员）：半导体照明产业技术创新战略联盟秘书长" in page


def test_standings_match_a_direct_count():
    archive, _ = check_archive(str(ROOT / "data"))
    edition = archive.editions[0]
    order = {t.key: t.rank for t in edition.tiers}
    now = standings(edition)
    assert len(now) == len(edition.evaluated) + len(edition.incomplete) == 106
    for r in edition.evaluated:
        below = sum(1 for o in edition.evaluated if order[o.tier] > order[r.tier]
                    or (o.tier == r.tier and None not in (o.score, r.score) and o.score < r.score))
        assert now[r.code].percentile == F.share(below, len(edition.evaluated)), r.code
    assert now["110"].percentile == Decimal("95.35") and now["110"].rank == 1
    assert all(now[c].status == F.INCOMPLETE and now[c].percentile is None for c in edition.incomplete)


def test_the_default_editions_alliance_pages_need_few_shells():
    from reportsite.render.pages import edition_pages

    archive, _ = check_archive(str(ROOT / "data"))
    edition = archive.editions[0]
    pages = edition_pages(archive, edition, str(ROOT / "content" / edition.id))
    groups = stamp.shells(pages.pages)
    assert sum(len(g.members) for g in groups) == 106
    # With or without experts from the alliance, with or without sections naming it.
    assert 1 < len(groups) <= 4
