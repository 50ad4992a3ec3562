"""After MkDocs, our code reads each built page once and writes it once (`write/finish.py`): the
last touches are an ordered list of text -> text steps, and every file the build writes goes
through one atomic write (`model/files.py`)."""

from __future__ import annotations

import builtins
import os
from collections import Counter

from conftest import ROOT, VALID

from reportsite import cli
from reportsite.model import files
from reportsite.write import finish


def where(path: str) -> str | None:
    """`path` from the root of the site being built (the temporary folder the build swaps in), or
    None for a file outside it."""
    parts = os.path.abspath(os.fspath(path)).split(os.sep)
    marks = [i for i, p in enumerate(parts) if p.startswith(".site-build-")]
    return "/".join(parts[marks[-1] + 1:]) if marks else None


def test_each_page_is_read_once_and_written_once_after_mkdocs(project, monkeypatch, capsys):
    project.write("2020-2021/edition.yaml", VALID["2020-2021/edition.yaml"])
    reads: Counter = Counter()
    writes: Counter = Counter()
    real_open, real_write = builtins.open, files.write

    def counting_open(file, mode="r", *args, **kwargs):
        rel = where(file) if isinstance(file, (str, os.PathLike)) else None
        if rel and rel.endswith(".html") and "r" in mode and "+" not in mode:
            reads[rel] += 1
        return real_open(file, mode, *args, **kwargs)

    def counting_write(path, data):
        rel = where(path)
        if rel:
            writes[rel] += 1
        return real_write(path, data)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(files, "write", counting_write)
    out = project.root / "site"
    status = cli.main(["--data", str(project.data), "--out", str(out), "--config", str(ROOT / "mkdocs.yml"),
                       "--jobs", "1", "--no-pdf", "--lang", "en"])
    assert status == 0, capsys.readouterr()
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) > 20 and "2020-2021/alliances/110.html" in pages and "latest/index.html" in pages
    assert {p: writes[p] for p in pages} == {p: 1 for p in pages}, "each page written once, by files.write"
    assert max(reads.values()) == 1, "no page read twice"
    stamped = [p for p in pages if p.startswith("2020-2021/alliances/")]
    assert stamped and not any(reads[p] for p in stamped), "a stamped page is made from its shell, never re-read"
    shells = [p for p in reads if "/_shell-" in p]
    assert shells and all(reads[s] == 1 for s in shells) and not any(p in pages for p in shells)
    others = [p for p in pages if p.startswith("2020-2021/") and p not in stamped]
    assert all(reads[p] == 1 for p in others), "every page MkDocs wrote is read once"
    assert not any(p.startswith("latest/") or "/" not in p for p in reads), "root pages are never read back"


def test_the_steps_run_in_order_and_the_policy_hashes_the_finished_page(tmp_path):
    (tmp_path / "r.pdf").write_bytes(b"x" * 1500)
    page = ('<html><head><meta charset="utf-8"><link rel="canonical" href="https://e.org/a/_shell-3.html">'
            '</head><body><p>@@cite-path@@</p><span> · <a class="pdf-link" href="../r.pdf" data-pdf-size>PDF</a>'
            ' · <a class="pdf-link" href="../none.pdf" data-pdf-size>PDF</a></span></body></html>')
    place = finish.Place(str(tmp_path), "a/110.html", head='<script type="application/ld+json">{}</script>')
    done = finish.finish(page, place)
    assert [s.__name__ for s in finish.STEPS] == ["pdf_sizes", "own_path", "anchors", "toggles", "head", "content_policy"]
    assert '<a class="pdf-link" href="../r.pdf">PDF（2 KB）</a>' in done and "none.pdf" not in done
    assert "<p>a/110.html</p>" in done and 'href="https://e.org/a/110.html"' in done
    assert done.index("application/ld+json") < done.index("</head>")
    assert done.index('http-equiv="Content-Security-Policy"') < done.index("<link")


def test_a_write_is_whole_or_absent(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "page.html"
    files.write(str(target), "第一版\n")
    assert target.read_bytes() == "第一版\n".encode("utf-8")

    class Full(OSError):
        pass

    def failing_replace(src, dst):
        raise Full(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    try:
        files.write(str(target), "第二版\n")
    except Full:
        pass
    assert target.read_bytes() == "第一版\n".encode("utf-8"), "the old file stays whole"
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"], "no part file is left"


def test_headings_get_their_numbers_anchor_and_keep_the_old_one_as_an_alias():
    page = ('<a href="#_1" class="md-skip">跳转到正文</a><nav><a href="#1">1. 总体</a><a href="#result">结果</a></nav>'
            '<h1 id="_1">三、分析</h1><h2 id="1">1. 总体</h2><h2 id="result">评价结果</h2>'
            '<h3 id="1_1">（1）<em>范围</em></h3><p><a href="other.html#_1">别处</a></p>')
    done = finish.anchors(page, finish.Place(".", "overall.html"))
    assert '<h1 id="s3"><span id="_1" class="anchor-alias"></span>三、分析</h1>' in done
    assert '<h2 id="s3-1"><span id="1" class="anchor-alias"></span>1. 总体</h2>' in done
    assert '<h2 id="result">评价结果</h2>' in done, "an id of its own is kept"
    assert '<h3 id="s3-1-1"><span id="1_1" class="anchor-alias"></span>（1）<em>范围</em></h3>' in done
    assert 'href="#s3" class="md-skip"' in done and 'href="#s3-1"' in done and 'href="#result"' in done
    assert 'href="other.html#_1"' in done, "links to other pages keep the address cited; the alias answers it"
    assert finish.anchors("<p>no headings</p>", finish.Place(".", "x.html")) == "<p>no headings</p>"
