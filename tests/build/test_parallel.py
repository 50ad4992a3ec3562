"""Building editions side by side, and what a build leaves out to be fast: the same site for any
number of processes, located errors from a worker, Markdown output unchanged by setting blocks
aside, and no unused theme files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import ROOT, run_build

from reportsite.build import workers
from reportsite.build.freeze import tree_hashes
from reportsite.model.errors import ContentError
from reportsite.read.check import check_archive
from reportsite.render.pages import edition_pages
from reportsite.write.hooks import UNUSED_THEME_FILES, put_back, set_aside

EXAMPLE = ROOT / "examples" / "archive"


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the three-edition example archive."""
    for kind in ("data", "content"):
        shutil.copytree(EXAMPLE / kind, tmp_path / kind)
    return tmp_path


def build_args(root: Path, out: str, jobs: int) -> list[str]:
    return ["--data", str(root / "data"), "--content", str(root / "content"), "--out", str(root / out),
            "--config", str(ROOT / "mkdocs.yml"), "--jobs", str(jobs), "--lang", "en"]


def test_any_number_of_processes_builds_the_same_site(example):
    one = run_build(*build_args(example, "one", 1), cwd=example)
    three = run_build(*build_args(example, "three", 3), cwd=example)
    assert one.returncode == 0 and three.returncode == 0, one.stdout + one.stderr + three.stdout + three.stderr
    assert "in 3 processes" in three.stdout and "processes" not in one.stdout
    # Results are reported in edition order, whichever worker finished first.
    steps = [line.split(":")[0] for line in three.stdout.splitlines() if line.startswith("[")]
    assert steps == ["[1/3] 2016-2017", "[2/3] 2018-2019", "[3/3] 2020-2021"]
    a, b = tree_hashes(str(example / "one")), tree_hashes(str(example / "three"))
    assert len(a) > 500 and a == b


SPAWNED = """
import multiprocessing, os, runpy, sys
multiprocessing.set_start_method("spawn")
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(sys.argv[0]))  # as `python build.py` does
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_workers_started_afresh_build_the_same_site(example):
    """Where new processes are spawned rather than forked (macOS, Windows), the archive and the
    pages travel to the workers pickled: the site is the same."""
    forked = run_build(*build_args(example, "forked", 2), cwd=example)
    spawned = subprocess.run([sys.executable, "-c", SPAWNED, str(ROOT / "build.py"),
                              *build_args(example, "spawned", 2)], cwd=example, capture_output=True, text=True)
    assert forked.returncode == 0 and spawned.returncode == 0, spawned.stdout + spawned.stderr
    assert "in 2 processes" in spawned.stdout
    assert tree_hashes(str(example / "forked")) == tree_hashes(str(example / "spawned"))


def test_an_error_in_a_worker_names_its_file_and_line(example):
    path = example / "content" / "2018-2019" / "01-overview.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = "这里写错了 {{ evaluatd }}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_build(*build_args(example, "site", 2), cwd=example)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    errors = [line for line in run.stdout.splitlines() if " error [" in line]
    assert errors == ["content/2018-2019/01-overview.md:3:10: error [content-undefined] 'evaluatd' is undefined; "
                      "the names a narrative may use are in docs/content.md"]
    assert not (example / "site").exists()


def test_worker_errors_keep_their_location():
    error = ContentError("'x' is undefined", "content/a.md:3")
    raised = list(workers.map_tasks(_raise_or_return, None, [(None,)], jobs=1))
    assert raised == ["ok"]
    with pytest.raises(ContentError) as caught:
        list(workers.map_tasks(_raise_or_return, None, [(None,), (error,)], jobs=2))
    assert str(caught.value) == "content/a.md:3: error [content] 'x' is undefined"


def _raise_or_return(shared, error):
    if error is not None:
        raise error
    return "ok"


def test_jobs_must_be_a_positive_whole_number():
    run = run_build("--jobs", "0", "--lang", "en")
    assert run.returncode == 2 and "argument --jobs/-j: must be a whole number of at least 1, not '0'" in run.stderr
    run = run_build("--jobs", "0")
    assert run.returncode == 2 and "参数 --jobs/-j：应为不小于 1 的整数，而不是 '0'" in run.stderr


def mkdocs_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions mkdocs.yml gives MkDocs."""
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for item in settings["markdown_extensions"]:
        name, config = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        configs[name] = config
    return markdown.Markdown(extensions=names, extension_configs=configs)


def every_markdown_page():
    for data, content in ((ROOT / "data", ROOT / "content"), (EXAMPLE / "data", EXAMPLE / "content")):
        archive, _ = check_archive(str(data))
        for edition in archive.editions:
            for page in edition_pages(archive, edition, str(content / edition.id)).pages:
                if not page.html:
                    yield f"{edition.id}/{page.name}", page.markdown


def test_setting_blocks_aside_leaves_the_html_unchanged():
    convert = mkdocs_markdown()
    pages = list(every_markdown_page())
    set_apart = 0
    for name, text in pages:
        plain = convert.reset().convert(text)
        shortened, blocks = set_aside(text)
        assert put_back(convert.reset().convert(shortened), blocks) == plain, name
        set_apart += len(blocks)
    assert len(pages) > 50 and set_apart > 60, "charts and tables were set aside"


def test_blocks_asking_for_markdown_stay():
    text = 'intro\n\n<table class="data">\n<tr><td>1</td></tr>\n</table>\n\n<figure markdown="1">\n**x**\n</figure>\n'
    shortened, blocks = set_aside(text)
    assert blocks == ['<table class="data">\n<tr><td>1</td></tr>\n</table>']
    assert shortened == 'intro\n\n<div data-set-aside="0"></div>\n\n<figure markdown="1">\n**x**\n</figure>\n'


def test_no_unused_theme_files_are_published(built_site):
    files = tree_hashes(str(Path(built_site) / "2020-2021"))
    assert not [f for f in files if UNUSED_THEME_FILES.match(f)]
    assert not [f for f in files if f.endswith(".map") or "/lunr/" in f]
    assert any(f.startswith("assets/javascripts/bundle.") for f in files)
