"""Faults rather than mistakes: a full, read-only or refusing disk, a bug in the tool, damaged
frozen stores, a build killed while storing, killed or stopped parallel builds, and a preview
whose rebuild crashes.

Every failing case asserts the exact outcome (status, slug, location, no traceback), that nothing
of the project outside `site/` and `.reportsite/` changed, and that the previous site is intact.
Disk faults are simulated in the process (an `OSError` with the right errno where the build
writes) and, where this machine lets a test mount a small tmpfs in a private mount namespace,
produced for real.
"""

from __future__ import annotations

import errno
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import EARLIER_EDITION, EDITION, EDITION_YAML, RESULTS, ROOT, VALID, build_hostile, prebuilt
from hostile import HostileProject, digest, failed_with, no_traceback

from reportsite import cli
from reportsite.build import freeze, pipeline

FROZEN = Path("frozen") / EDITION


def snapshot(project) -> tuple[dict, dict]:
    return project.digest(), digest(project.site)


def in_process(capsys, *args: str):
    """`cli.main(["build", "--jobs", "1", *args])` in this process, its output as a
    `CompletedProcess` so the suite's checks apply."""
    status = cli.main(["build", "--jobs", "1", *args])
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, status, out, err)


@pytest.fixture
def quiet_env(monkeypatch):
    """A build in this process sets SOURCE_DATE_EPOCH; unset it now and again afterwards (set
    first, so that monkeypatch records the variable and restores it even when it was unset)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")


# --- the disk, simulated in the process ------------------------------------------------------

def failing_write_root(exc_factory):
    """A `pipeline.write_root` that raises `exc_factory(path)`, path being a file in the folder it writes."""
    def write_root(archive, out, *rest):
        raise exc_factory(os.path.join(out, "index.html"))
    return write_root


BUG = failing_write_root(lambda path: ZeroDivisionError("division by zero"))
"""A bug in our code, raised where the archive root is written."""


@pytest.mark.parametrize("make, slug, location", [
    (lambda p: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), p), "disk-full", "site"),
    (lambda p: PermissionError(errno.EACCES, os.strerror(errno.EACCES), p), "no-permission", "site"),
    (lambda p: OSError(errno.EROFS, os.strerror(errno.EROFS), p), "read-only", "site"),
    (lambda p: OSError(errno.EDQUOT, os.strerror(errno.EDQUOT), p), "disk-full", "site"),
    (lambda p: shutil.Error([("a", p, f"[Errno {errno.ENOSPC}] {os.strerror(errno.ENOSPC)}: 'a'")]),
     "disk-full", "site"),
    (lambda p: OSError(errno.EIO, os.strerror(errno.EIO)), "os-error", "site"),
], ids=["full", "permission", "read-only", "quota", "full-in-a-tree-copy", "io-error-without-a-path"])
def test_a_disk_fault_while_writing_is_one_line_and_the_site_stays(hostile, capsys, monkeypatch, quiet_env,
                                                                   make, slug, location):
    monkeypatch.setattr(pipeline, "write_root", failing_write_root(make))
    before = snapshot(hostile)
    failed_with(in_process(capsys), slug, location)
    assert snapshot(hostile) == before
    assert not [n for n in os.listdir(hostile.root) if n.startswith(".site-")], "temporary folder removed"


def test_a_bug_in_the_tool_is_one_line_naming_where(hostile, capsys, monkeypatch, quiet_env):
    monkeypatch.setattr(pipeline, "write_root", BUG)
    before = snapshot(hostile)
    result = in_process(capsys, "--lang", "en")
    line = failed_with(result, "internal")
    assert re.search(r"internal error: ZeroDivisionError: division by zero \(at reportsite/build/pipeline\.py:\d+\); "
                     r"this is a bug in the tool.*--debug", line), line
    assert (result.stdout + result.stderr).count("error [") == 1
    assert snapshot(hostile) == before


def test_debug_shows_the_traceback_and_then_the_line(hostile, capsys, monkeypatch, quiet_env):
    monkeypatch.setattr(pipeline, "write_root", BUG)
    result = in_process(capsys, "--debug")
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr and "ZeroDivisionError" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error [internal] ")


# --- the disk, for real: a tiny tmpfs or a read-only bind mount in a private namespace --------

def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


mounts = pytest.mark.skipif(not _can_mount(), reason="cannot mount a tmpfs in a private mount namespace here")


def in_namespace(project, mount: str, *args: str) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in the project, after `mount` (a shell command) in a private mount
    namespace; the listing of `pub/` afterwards is in `pub.listing`."""
    command = (f"{mount} && {sys.executable} {ROOT / 'build.py'} {' '.join(args)}; status=$?; "
               "ls -A pub > pub.listing; exit $status")
    return subprocess.run(["unshare", "--mount", "sh", "-c", command], cwd=project.root, capture_output=True,
                          text=True, timeout=120)


@mounts
def test_a_really_full_disk(hostile):
    (hostile.root / "pub").mkdir()
    (hostile.root / "pub.listing").write_text("")
    before = hostile.digest(skip=("site", ".reportsite", "pub"))
    result = in_namespace(hostile, "mount -t tmpfs -o size=256k tmpfs pub", "build", "--jobs", "1",
                          "--out", "pub/site")
    failed_with(result, "disk-full", "pub/site")
    assert (hostile.root / "pub.listing").read_text() == "", "the temporary folder is removed"
    assert hostile.digest(skip=("site", ".reportsite", "pub")) == before


@mounts
def test_a_really_read_only_output_folder(hostile):
    (hostile.root / "pub").mkdir()
    assert hostile.build("--out", "pub/site").returncode == 0
    before = digest(hostile.root / "pub")
    read_only = "mount --bind pub pub && mount -o remount,bind,ro pub"
    result = in_namespace(hostile, read_only, "build", "--jobs", "1", "--out", "pub/site")
    failed_with(result, "read-only", "pub")
    assert digest(hostile.root / "pub") == before


@mounts
def test_a_really_full_disk_while_packaging(hostile):
    (hostile.root / "pub").mkdir()
    result = in_namespace(hostile, "mount -t tmpfs -o size=64k tmpfs pub", "package", "--draft", "--zip", "pub/site.zip")
    line = failed_with(result, "zip-unwritable", "pub/site.zip")
    assert os.strerror(errno.ENOSPC) in line
    assert (hostile.root / "pub.listing").read_text() == "", "no partial zip is left"


# --- frozen stores ---------------------------------------------------------------------------

def freeze_edition(project) -> None:
    """Mark the edition frozen and build once, storing its pages."""
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "frozen: true\n")
    stored = project.build()
    assert stored.returncode == 0 and "已把冻结版次 2020-2021" in stored.stdout, stored.stdout + stored.stderr


def prepare_republication(project) -> None:
    """Change a score, bump the version and add a dated correction."""
    project.replace(RESULTS, "score: 72}", "score: 73}")
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "version: 2\ncorrections:\n"
                  "  - {date: 2024-05-01, text: 更正某联盟的评分。}\n")


def build_frozen(root: Path) -> None:
    """The hostile project in `root` with its edition frozen and stored."""
    build_hostile(root)
    freeze_edition(HostileProject(root, written=True))


@pytest.fixture
def frozen(tmp_path, monkeypatch):
    """The hostile project with its edition frozen and stored (a copy of the one made first in this
    process)."""
    monkeypatch.chdir(tmp_path)
    prebuilt("frozen", build_frozen, tmp_path)
    return HostileProject(tmp_path, written=True)


def manifest_path(project) -> Path:
    return project.root / FROZEN / freeze.MANIFEST


def valid_files(project) -> dict:
    return json.loads(manifest_path(project).read_text(encoding="utf-8"))["files"]


FIELD, JSON = "frozen-manifest-field", "frozen-manifest-json"
MANIFESTS = [
    # (id, manifest text made from the valid files, slug, location after the file's path)
    ("empty-object", lambda f: "{}", FIELD, ""),
    ("a-list", lambda f: "[]", JSON, ""),
    ("files-null", lambda f: '{"files": null}', FIELD, ""),
    ("files-not-hashes", lambda f: json.dumps({"files": {k: 1 for k in f}, "version": 1}), FIELD, ""),
    ("version-text", lambda f: json.dumps({"files": f, "version": "2", "inputs": ""}), FIELD, ""),
    ("version-true", lambda f: json.dumps({"files": f, "version": True, "inputs": ""}), FIELD, ""),
    ("version-missing", lambda f: json.dumps({"files": f, "inputs": ""}), FIELD, ""),
    ("inputs-number", lambda f: json.dumps({"files": f, "version": 1, "inputs": 5}), FIELD, ""),
    ("other-edition", lambda f: json.dumps({"files": f, "version": 1, "edition": "2018-2019"}), FIELD, ""),
    ("not-json", lambda f: "files: all of them\n", JSON, ":1:1"),
    ("truncated", lambda f: '{"files": {"index.html": "ab', JSON, ":1:26"),
    ("empty-file", lambda f: "", JSON, ":1:1"),
]


@pytest.mark.parametrize("make, slug, suffix", [c[1:] for c in MANIFESTS], ids=[c[0] for c in MANIFESTS])
def test_a_damaged_manifest_stops_with_one_located_line(frozen, make, slug, suffix):
    manifest_path(frozen).write_text(make(valid_files(frozen)), encoding="utf-8")
    before = snapshot(frozen)
    line = failed_with(frozen.build("--lang", "en"), slug, str(FROZEN / freeze.MANIFEST) + suffix)
    assert "restore it from the repository" in line
    assert snapshot(frozen) == before


def test_a_forged_page_with_its_checksum_passes_and_the_docs_say_so(frozen):
    """What the checksums do not prove (docs/data.md): a page edited together with its entry in
    MANIFEST.json is accepted; git history is the record."""
    page = frozen.root / FROZEN / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>forged</p></body>"))
    data = json.loads(manifest_path(frozen).read_text(encoding="utf-8"))
    data["files"]["index.html"] = freeze.tree_hashes(str(frozen.root / FROZEN))["index.html"]
    manifest_path(frozen).write_text(json.dumps(data), encoding="utf-8")
    assert frozen.build().returncode == 0
    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert "forger" in docs and "git history" in docs


def test_a_page_changed_without_its_checksum_is_caught(frozen):
    page = frozen.root / FROZEN / "index.html"
    page.write_bytes(page.read_bytes() + b"\n")
    before = snapshot(frozen)
    failed_with(frozen.build(), "frozen", str(FROZEN))
    assert snapshot(frozen) == before


def test_an_empty_frozen_folder_is_stored_afresh(hostile):
    """What the old store left when killed: an empty folder. It holds nothing to lose."""
    (hostile.root / FROZEN).mkdir(parents=True)
    freeze_edition(hostile)
    assert freeze.read_stored(str(hostile.root / "frozen"), EDITION)["version"] == 1


def test_a_disk_fault_while_storing_leaves_the_stored_pages(frozen, capsys, monkeypatch, quiet_env):
    prepare_republication(frozen)
    stored = digest(frozen.root / "frozen")
    real = shutil.copytree

    def full(src, dst, *args, **kwargs):
        if os.sep + "frozen" + os.sep in str(dst):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copytree", full)
    failed_with(in_process(capsys, "--republish", EDITION), "disk-full", str(FROZEN))
    assert digest(frozen.root / "frozen") == stored
    assert sorted(os.listdir(frozen.root / "frozen")) == [EDITION]


KILLER = """
import os, shutil, signal, sys
sys.path.insert(0, sys.argv[1])
when, count = sys.argv[2], [0]

def killing(real, name):
    def call(src, dst, *args, **kwargs):
        if os.sep + "frozen" + os.sep in str(dst) + str(src) and name == when.split(":")[0]:
            if count[0] == int(when.split(":")[1]):
                os.kill(os.getpid(), signal.SIGKILL)
            count[0] += 1
        return real(src, dst, *args, **kwargs)
    return call

os.rename = killing(os.rename, "rename")
shutil.copyfile = killing(shutil.copyfile, "copy")
from reportsite.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize("when", ["copy:3", "rename:0", "rename:1"],
                         ids=["while-copying", "before-the-swap", "between-the-renames"])
def test_a_store_killed_at_any_step_never_leaves_the_edition_empty_or_half_written(frozen, when):
    prepare_republication(frozen)
    killed = subprocess.run([sys.executable, "-c", KILLER, str(ROOT), when, "build", "--jobs", "1",
                             "--republish", EDITION], cwd=frozen.root, capture_output=True, text=True,
                            timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    # The stored pages are whole: the previous ones (recovered if the kill came mid-swap).
    stored = freeze.read_stored(str(frozen.root / "frozen"), EDITION)
    assert stored["version"] == 1 and stored["files"]
    assert sorted(os.listdir(frozen.root / "frozen")) == [EDITION], "nothing half-written is left"
    again = frozen.build("--republish", EDITION)
    assert again.returncode == 0, again.stdout + again.stderr
    assert freeze.read_stored(str(frozen.root / "frozen"), EDITION)["version"] == 2


# --- parallel builds killed or stopped ----------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (zombies count as gone)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def still_running(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            out.add(pid)
    return out


@pytest.fixture
def two_editions(hostile):
    first, last = "2018", "2019"
    edition = (EARLIER_EDITION.replace("start: 2020-", f"start: {first}-")
               .replace("end: 2021-", f"end: {last}-").replace("published: 2022-02", "published: 2020-02"))
    hostile.add_edition(f"{first}-{last}", VALID[RESULTS], edition)
    (hostile.root / "content" / f"{first}-{last}").mkdir()
    result = hostile.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return hostile


def start_parallel_build(project) -> tuple[subprocess.Popen, set[int]]:
    """A `--jobs 2` build, returned once two or more processes work under it."""
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--jobs", "2"],
                             cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2:
        assert time.monotonic() < deadline and build.poll() is None, "no workers seen"
        workers = descendants(build.pid)
        time.sleep(0.005)
    return build, workers


def test_a_killed_parallel_build_leaves_no_worker_behind(two_editions):
    for attempt in range(3):
        build, workers = start_parallel_build(two_editions)
        build.kill()
        build.wait(timeout=30)
        build.stdout.close()
        deadline = time.monotonic() + 5
        while still_running(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not still_running(workers), f"orphaned workers: {still_running(workers)}"
    after = two_editions.build()
    assert after.returncode == 0, "the lock died with the build: " + after.stdout + after.stderr


def test_a_stopped_parallel_build_ends_its_workers_and_cleans_up(two_editions):
    before = snapshot(two_editions)
    build, workers = start_parallel_build(two_editions)
    build.send_signal(signal.SIGTERM)
    out, _ = build.communicate(timeout=60)
    result = subprocess.CompletedProcess(build.args, build.returncode, out, "")
    failed_with(result, "interrupted", status=cli.INTERRUPTED)
    deadline = time.monotonic() + 5
    while still_running(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not still_running(workers)
    assert snapshot(two_editions) == before
    assert not [n for n in os.listdir(two_editions.root) if n.startswith(".site-")]


WATCHER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from reportsite.build import workers
workers._die_with(int(sys.argv[2]))
print("watching", flush=True)
time.sleep(60)
"""


def test_a_worker_notices_its_parent_died_without_the_kernels_help():
    """Where PR_SET_PDEATHSIG does not exist (macOS, Windows), a worker's own thread ends it: here
    the `parent` it watches is not its real parent, so only that thread can notice."""
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    worker = subprocess.Popen([sys.executable, "-c", WATCHER, str(ROOT), str(parent.pid)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "watching"
        parent.kill()
        parent.wait()
        assert worker.wait(timeout=5) == 1
    finally:
        for process in (parent, worker):
            if process.poll() is None:
                process.kill()
                process.wait()
        worker.stdout.close()


# --- serve: a rebuild that crashes -------------------------------------------------------------

FLAKY = """
import sys
sys.path.insert(0, sys.argv[1])
from reportsite import cli
from reportsite.build import pipeline
real, calls = pipeline.build, []

def flaky(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        raise RuntimeError("the second build breaks")
    if len(calls) == 3:
        raise OSError(28, "No space left on device")
    return real(*args, **kwargs)

pipeline.build = flaky
sys.exit(cli.main(sys.argv[2:]))
"""


def test_serve_keeps_serving_the_last_good_site_whatever_a_rebuild_raises(hostile):
    preview = subprocess.Popen([sys.executable, "-c", FLAKY, str(ROOT), "serve", "--port", "0", "--jobs", "1",
                                "--lang", "en"], cwd=hostile.root, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines: queue.Queue = queue.Queue()
    seen: list[str] = []

    def read() -> None:
        for line in preview.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()

    def wait_for(pattern: str) -> re.Match:
        deadline = time.monotonic() + 60
        while True:
            line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            seen.append(line)
            if found := re.search(pattern, line):
                return found

    try:
        url = wait_for(r"serving (http://127\.0\.0\.1:\d+/) from").group(1) + "2020-2021/index.html"
        page = urllib.request.urlopen(url, timeout=10).read()
        scores = iter(range(72, 60, -1))
        score = next(scores)

        def edit() -> None:
            nonlocal score
            new = next(scores)
            hostile.replace(RESULTS, f"score: {score}}}", f"score: {new}}}")
            score = new

        for expected in (r"^error \[internal\] internal error: RuntimeError: the second build breaks",
                         r"^error \[disk-full\] the disk is full"):
            edit()
            wait_for(expected)
            wait_for(r"^rebuild failed in \d+\.\ds: still serving the last good site$")
            assert urllib.request.urlopen(url, timeout=10).read() == page
        edit()
        wait_for(r"^rebuilt 1 edition")
        preview.send_signal(signal.SIGINT)
        wait_for(r"^stopped$")
        assert preview.wait(timeout=30) == 0
    finally:
        if preview.poll() is None:
            preview.kill()
            preview.wait()
    no_traceback(subprocess.CompletedProcess([], 0, "\n".join(seen), ""))
