"""Hostile input to the command line: output folders, the lock, settings, the environment, usage
mistakes, `package` and `serve`.

Every failing case asserts the exact outcome (`failed_with`: status, slug, location, no
traceback), that no file of the project outside `site/` and the tool's own `.reportsite/`
changed, and that the previous site is byte for byte intact.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from hostile import digest, failed_with, run

from reportsite.build.output import MARKER


def snapshot(hostile) -> tuple[dict, dict]:
    """The project outside the site, and the site."""
    return hostile.digest(), digest(hostile.site)


def assert_unchanged(hostile, before: tuple[dict, dict]) -> None:
    assert snapshot(hostile) == before
    leftovers = [n for n in os.listdir(hostile.root) if n.startswith(".site-")]
    assert leftovers == [], leftovers


def table(names: str, rows: list[tuple]):
    """`parametrize` over rows whose first item is the case's id."""
    return pytest.mark.parametrize(names, [row[1:] for row in rows], ids=[row[0] for row in rows])


# --- --out: never over what the build reads, never over a folder that is not ours ------------

def _file(root: Path) -> None:
    (root / "essay.txt").write_text("我的文章，不是网站。\n", encoding="utf-8")


def _notes(root: Path) -> None:
    (root / "notes").mkdir()
    (root / "notes" / "todo.md").write_text("- 买菜\n", encoding="utf-8")


def _git(root: Path) -> None:
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")


def _link(root: Path) -> None:
    os.symlink("site", root / "published")


OUT_CASES = [
    # (id, --out, set-up, slug, location)
    ("empty-string", "", None, "out-unsafe", "."),
    ("working-tree", ".", None, "out-unsafe", "."),
    ("data", "data", None, "out-unsafe", "data"),
    ("inside-data", "data/2020-2021", None, "out-unsafe", "data/2020-2021"),
    ("content", "content", None, "out-unsafe", "content"),
    ("inside-content", "content/2020-2021/out", None, "out-unsafe", "content/2020-2021/out"),
    ("frozen-absent", "frozen", None, "out-unsafe", "frozen"),
    ("above-project", "..", None, "out-unsafe", ".."),
    ("tool-folder", ".reportsite", None, "out-unsafe", ".reportsite"),
    ("templates", str(ROOT / "templates"), None, "out-unsafe", None),
    ("code", str(ROOT / "reportsite"), None, "out-unsafe", None),
    ("tool-root", str(ROOT), None, "out-unsafe", None),
    ("existing-file", "essay.txt", _file, "out-not-folder", "essay.txt"),
    ("under-a-file", "essay.txt/site", _file, "out-not-folder", "essay.txt"),
    ("users-folder", "notes", _notes, "out-not-ours", "notes"),
    ("dot-git", ".git", _git, "out-unsafe", ".git"),
    ("inside-dot-git", ".git/site", _git, "out-unsafe", ".git/site"),
    ("symlink", "published", _link, "out-link", "published"),
]


@table("out, setup, slug, location", OUT_CASES)
def test_out_that_is_not_ours_stops_and_deletes_nothing(hostile, out, setup, slug, location):
    if setup:
        setup(hostile.root)
    before = snapshot(hostile)
    result = hostile.build("--out", out)
    failed_with(result, slug, location if location is not None else os.path.relpath(out))
    assert "正在检查数据" not in result.stdout, "refused before any work"
    assert_unchanged(hostile, before)


def test_an_empty_folder_is_built_into_and_marked(hostile):
    (hostile.root / "public").mkdir()
    before = hostile.digest(skip=("site", ".reportsite", "public"))
    result = hostile.build("--out", "public")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (hostile.root / "public" / MARKER).is_file() and (hostile.root / "public" / "index.html").is_file()
    assert hostile.digest(skip=("site", ".reportsite", "public")) == before
    again = hostile.build("--out", "public")
    assert again.returncode == 0, "a folder marked as ours is replaced"


def test_the_marker_is_the_same_every_build(hostile):
    first = (hostile.site / MARKER).read_bytes()
    assert hostile.build().returncode == 0
    assert (hostile.site / MARKER).read_bytes() == first and b"pid" not in first


def test_stale_temporary_folders_are_removed_only_when_ours_and_dead(hostile):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    ours_dead = hostile.root / ".site-build-dead"
    ours_dead.mkdir()
    (ours_dead / MARKER).write_text(f"x\npid {dead}\n", encoding="utf-8")
    ours_live = hostile.root / ".site-build-live"
    ours_live.mkdir()
    (ours_live / MARKER).write_text(f"x\npid {os.getpid()}\n", encoding="utf-8")
    look_alike = hostile.root / ".site-build-mine"
    look_alike.mkdir()
    (look_alike / "thesis.docx").write_bytes(b"not a site")
    result = hostile.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert not ours_dead.exists(), "a killed build's folder is cleaned up"
    assert ours_live.is_dir(), "a running build's folder is left to it"
    assert (look_alike / "thesis.docx").read_bytes() == b"not a site", "a folder not ours is never removed"


# --- the lock -------------------------------------------------------------------------------

HOLD = """
import sys
sys.path.insert(0, sys.argv[1])
from reportsite.build.lock import held
with held(sys.argv[2]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_build_stops_while_another_holds_the_lock_and_says_who(hostile):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(ROOT), str(hostile.root)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = snapshot(hostile)
        result = hostile.build("--lang", "en")
        line = failed_with(result, "locked", os.path.join(".reportsite", "build.lock"))
        assert f"process {holder.pid}, started " in line
        assert_unchanged(hostile, before)
    finally:
        holder.communicate("", timeout=30)
    assert hostile.build().returncode == 0, "the lock is free once its holder ends"


def test_a_stale_lock_of_a_dead_process_is_taken_over(hostile):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    lock = hostile.root / ".reportsite" / "build.lock"
    lock.write_text(f'{{"pid": {dead}, "started": "2026-01-01 00:00:00"}}\n', encoding="utf-8")
    result = hostile.build()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lock.read_text(encoding="utf-8") == "", "released when done"


# --- the environment and the settings --------------------------------------------------------

@pytest.mark.parametrize("value", ["253402300800", "-1", "abc", "１２３", "", "1e9", "9" * 5000],
                         ids=["past-9999", "negative", "letters", "full-width", "empty", "exponent", "huge"])
def test_a_bad_source_date_epoch_stops_every_build(hostile, value):
    before = snapshot(hostile)
    result = hostile.build(env={"SOURCE_DATE_EPOCH": value})
    line = failed_with(result, "epoch-bad")
    assert line.startswith("error [epoch-bad] ") and len(line) < 300
    assert_unchanged(hostile, before)


SETTINGS = [
    # (id, text of the settings file, slug, location)
    ("extra-list", "extra: [1, 2]\n", "settings-key", "bad.yml"),
    ("theme-list", "theme: [material]\n", "settings-key", "bad.yml"),
    ("gov-number", "extra: {gov: 5}\n", "settings-key", "bad.yml"),
    ("a-list", "- site_name: x\n", "settings-not-mapping", "bad.yml"),
    ("a-string", "material\n", "settings-not-mapping", "bad.yml"),
    ("yaml-syntax", "theme:\n  name: material\n features: [\n", "settings-unreadable", "bad.yml:3:2"),
    ("python-tag", "extra: !!python/name:os.system\n", "settings-unreadable", "bad.yml:1:8"),
    ("not-utf8", b"site_name: \xff\xfe\n", "settings-unreadable", "bad.yml"),
    ("noncharacter", 'site_name: "报告\\uFFFE"\n', "control-character", "bad.yml:1:12"),
    ("surrogate-in-gov", 'extra: {gov: {icp: "\\ud800"}}\n', "control-character", "bad.yml:1:20"),
    ("c1-in-key", '"copy\\x85right": x\n', "control-character", "bad.yml:1:1"),
]


@table("text, slug, location", SETTINGS)
def test_bad_settings_stop_with_one_located_line(hostile, text, slug, location):
    path = hostile.root / "bad.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    before = snapshot(hostile)
    failed_with(hostile.build("--config", "bad.yml"), slug, location)
    assert_unchanged(hostile, before)


def test_check_refuses_settings_no_page_can_carry(hostile):
    settings = hostile.root / "mkdocs.yml"
    kept = settings.read_text(encoding="utf-8")
    at = next(i for i, text in enumerate(kept.splitlines(), 1) if "site_name: 中华人民共和国科学技术部" in text)
    col = kept.splitlines()[at - 1].index("中华人民共和国") + 1
    settings.write_text(kept.replace("site_name: 中华人民共和国科学技术部", 'site_name: "中华\\uFFFF科学技术部"'),
                        encoding="utf-8")
    try:
        line = failed_with(run("check", "--lang", "en", cwd=hostile.root), "control-character", f"mkdocs.yml:{at}:{col}")
    finally:
        settings.write_text(kept, encoding="utf-8")
    assert "U+FFFF at position 3" in line


def test_missing_settings_stop(hostile):
    before = snapshot(hostile)
    failed_with(hostile.build("--config", "nowhere.yml"), "settings-unreadable", "nowhere.yml")
    assert_unchanged(hostile, before)


def test_a_theme_named_by_a_string_builds(hostile):
    text = (hostile.root / "mkdocs.yml").read_text(encoding="utf-8")
    start = text.index("theme:")
    end = text.index("\n", text.index("\n", start) + 1)
    while text[end + 1:end + 3] == "  ":
        end = text.index("\n", end + 1)
    (hostile.root / "named.yml").write_text(text[:start] + "theme: material" + text[end:], encoding="utf-8")
    result = hostile.build("--config", "named.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (hostile.site / "2020-2021" / "index.html").is_file()


# --- the rest of the command line ------------------------------------------------------------

def test_a_missing_content_folder_is_an_error_not_a_build_without_narrative(hostile):
    before = snapshot(hostile)
    failed_with(hostile.build("--content", "contnet"), "content-missing", "contnet")
    assert_unchanged(hostile, before)


@pytest.mark.parametrize("edition, slug, location", [
    ("1999-2000", "republish-unknown", "data"),
    ("2020-2021", "republish-not-frozen", "data/2020-2021/edition.yaml"),
    ("\x1b[31m2020", "republish-unknown", "data"),
], ids=["unknown", "not-frozen", "escape-sequence"])
def test_republish_names_a_frozen_edition(hostile, edition, slug, location):
    before = snapshot(hostile)
    line = failed_with(hostile.build("--republish", edition), slug, location)
    assert "\x1b" not in line
    assert_unchanged(hostile, before)


@pytest.mark.parametrize("args", [
    ["build", "--jobs", "0"], ["build", "--jobs", "two"], ["build", "--outt", "site"],
    ["build", "--lang", "fr"],
    ["build", "extra"], ["publish"], ["serve", "--port", "99999"], ["serve", "--port", "-1"],
    ["serve", "--port", "http"], ["package", "--zip"],
], ids=["jobs-zero", "jobs-word", "misspelt-option", "unknown-lang", "stray-argument", "unknown-command",
        "port-too-high", "port-negative", "port-word", "option-without-value"])
def test_a_command_line_that_cannot_run_is_a_usage_error(hostile, args):
    before = snapshot(hostile)
    result = run(*args, cwd=hostile.root, timeout=30)
    line = failed_with(result, "usage", status=2)
    assert (result.stdout + result.stderr).strip() == line, "one line, no usage dump"
    assert_unchanged(hostile, before)


def test_a_reader_that_goes_away_is_no_crash(hostile):
    """`python build.py check | head -0`: the pipe closes before the first line is written."""
    check = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "check"], cwd=hostile.root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check.stdout.close()
    err = check.stderr.read()
    check.stderr.close()
    assert check.wait(timeout=60) == 1 and err == "", err


def test_lang_chooses_the_language_of_the_error(hostile):
    zh = failed_with(hostile.build("--out", "data"), "out-unsafe", "data")
    en = failed_with(hostile.build("--out", "data", "--lang", "en"), "out-unsafe", "data")
    assert "输出文件夹" in zh and "output folder" in en
    usage = failed_with(run("serve", "--lang", "en", "--port", "x", cwd=hostile.root), "usage", status=2)
    assert usage.startswith("error [usage] bad command line: argument --port")
    assert "must be a port number from 0 to 65535, not 'x'" in usage
    usage = failed_with(run("serve", "--port", "x", cwd=hostile.root), "usage", status=2)
    assert usage == "error [usage] 命令行有误：参数 --port：应为 0 到 65535 之间的端口号，而不是 'x'（见 python build.py serve --help）"


# --- package -----------------------------------------------------------------------------

def _zip_folder(root: Path) -> None:
    (root / "dist").mkdir()
    (root / "dist" / "keep.txt").write_text("keep\n", encoding="utf-8")


PACKAGE_CASES = [
    # (id, args, set-up, slug, location)
    ("zip-is-a-folder", ["--zip", "dist"], _zip_folder, "zip-is-folder", "dist"),
    ("zip-over-a-file", ["--zip", "essay.txt"], _file, "zip-not-ours", "essay.txt"),
    ("zip-under-a-file", ["--zip", "essay.txt/site.zip"], _file, "zip-unwritable", "essay.txt/site.zip"),
    ("zip-in-the-site", ["--zip", "site/site.zip"], None, "package", "site/site.zip"),
    ("credentials", ["--base-url", "https://admin:s3cret@example.org/kjbgz/"], None, "base-url-credentials",
     None),
    ("user-only", ["--base-url", "https://admin@example.org/"], None, "base-url-credentials", None),
    ("space-in-host", ["--base-url", "https://exa mple.org/"], None, "base-url-bad", None),
    ("control-character", ["--base-url", "https://example.org/\x1b[2J/"], None, "base-url-bad", None),
    ("not-http", ["--base-url", "javascript:alert(1)//"], None, "package", None),
    ("no-site", ["--out", "nothing-here"], None, "package", "nothing-here"),
]


@table("args, setup, slug, location", PACKAGE_CASES)
def test_package_refuses_what_it_cannot_do_safely(hostile, args, setup, slug, location):
    if setup:
        setup(hostile.root)
    before = snapshot(hostile)
    # --draft: the identifiers the repository cannot know are not what these cases are about.
    result = run("package", "--draft", *args, cwd=hostile.root, timeout=60)
    line = failed_with(result, slug, location)
    assert "s3cret" not in result.stdout + result.stderr and "\x1b" not in line
    assert_unchanged(hostile, before)


def test_package_dates_past_2107_are_refused(hostile):
    before = snapshot(hostile)
    failed_with(run("package", cwd=hostile.root, env={"SOURCE_DATE_EPOCH": "5000000000"}), "epoch-zip")
    assert_unchanged(hostile, before)
    assert not (hostile.root / "dist").exists()


def test_spaces_in_the_base_path_are_percent_encoded(hostile):
    result = run("package", "--draft", "--base-url", "https://example.org/科技 报告/", cwd=hostile.root, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(hostile.root / "dist" / "site.zip") as zf:
        sitemap = zf.read("sitemap.xml").decode("utf-8")
        listed = [f["path"] for f in json.loads(zf.read("manifest.json"))["files"]]
    assert "<loc>https://example.org/%E7%A7%91%E6%8A%80%20%E6%8A%A5%E5%91%8A/index.html</loc>" in sitemap
    assert not [loc for loc in re.findall(r"<loc>(.*?)</loc>", sitemap) if " " in loc]
    assert MARKER in listed, "the marker travels with the site, listed like any file"


# --- serve ---------------------------------------------------------------------------------

def test_serve_on_a_busy_port_says_so_before_building(hostile):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        result = run("serve", "--port", str(busy), cwd=hostile.root, timeout=60)
    failed_with(result, "port-busy", f"127.0.0.1:{busy}")
    assert "正在检查数据" not in result.stdout


def test_serve_on_an_address_that_is_not_one_says_so(hostile):
    result = run("serve", "--host", "256.0.0.1", cwd=hostile.root, timeout=60)
    failed_with(result, "port-busy", "256.0.0.1:8000")


def test_serve_with_a_missing_content_folder_stops(hostile):
    result = run("serve", "--content", "nowhere", cwd=hostile.root, timeout=60)
    failed_with(result, "content-missing", "nowhere")
