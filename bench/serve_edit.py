#!/usr/bin/env python3
"""How long an edit takes to show in `python build.py serve`: from writing one score in
`results.yaml` to the changed page served over HTTP.

    python bench/serve_edit.py [--data data] [--content content] [--edits 5]

The data and content are copied to a scratch folder first: the project's own files are never
touched. One alliance's score is moved within its tier (so no figure the narrative compares
changes its tier counts), once per edit, and its page `EDITION/alliances/CODE.html` is fetched
every 20 ms until its bytes change. When the project has no `serve` command (no
`reportsite/build/serve.py`), the same edit is timed through a full `python build.py` instead, and the
result says so.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCORE_LINE = re.compile(r'^(\s*- \{code: "?(?P<code>[0-9D]\d{2,3})"?, score: )(?P<score>\d+)(\})\s*$')
SERVING = re.compile(r"(http://127\.0\.0\.1:[0-9]+/)")
"""The preview's address in its "serving" line, in whatever language the line is written."""


@dataclass
class EditTimes:
    """Seconds from each write to the changed page, and how they were measured."""

    mode: str
    """`serve` (over HTTP from the running preview) or `full rebuild` (no serve command)."""
    seconds: list = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


def pick_score(results_path: str) -> tuple[int, str, int]:
    """(line index, code, score) of an evaluated alliance scored 73-82: room to move by 2 inside 活跃度较高 (70-84)."""
    with open(results_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        m = SCORE_LINE.match(line)
        if m and 73 <= int(m["score"]) <= 82:
            return i, m["code"], int(m["score"])
    raise RuntimeError(f"no score between 73 and 82 in {results_path} to edit")


def write_score(results_path: str, index: int, score: int) -> None:
    """Rewrite one line of `results.yaml` in place, as an editor saving the file does."""
    with open(results_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    lines[index] = SCORE_LINE.sub(lambda m: f"{m[1]}{score}{m[4]}", lines[index])
    with open(results_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read()
    except (urllib.error.URLError, OSError):
        return None


def wait_for_change(url: str, before: bytes | None, started: float, limit: float = 120.0) -> float | None:
    """Seconds from `started` until `url` serves bytes other than `before`; None after `limit`."""
    while time.perf_counter() - started < limit:
        body = fetch(url)
        if body is not None and body != before:
            return time.perf_counter() - started
        time.sleep(0.02)
    return None


def scratch_copy(data: str, content: str, work: str) -> tuple[str, str]:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(data, os.path.join(work, "data"))
    if os.path.isdir(content):
        shutil.copytree(content, os.path.join(work, "content"))
    return os.path.join(work, "data"), os.path.join(work, "content")


def newest_edition(data: str) -> str:
    return max(d for d in os.listdir(data) if re.match(r"^\d{4}(-\d{4})?$", d))


def measure(project: str, data: str, content: str, work: str, edits: int = 5) -> EditTimes:
    """Time `edits` score edits in the preview (or through full builds when there is no preview)."""
    data, content = scratch_copy(data, content, work)
    edition = newest_edition(data)
    results = os.path.join(data, edition, "results.yaml")
    index, code, score = pick_score(results)
    scores = [score + (1, -1, 2, -2)[i % 4] for i in range(edits)]
    page = f"{edition}/alliances/{code}.html"
    if any(os.path.exists(os.path.join(project, "reportsite", *where, "serve.py")) for where in ((), ("build",))):
        return _serve(project, data, content, work, results, index, scores, page)
    return _full_rebuild(project, data, content, work, results, index, scores, page)


def _serve(project, data, content, work, results, index, scores, page) -> EditTimes:
    times = EditTimes("serve")
    log_path = os.path.join(work, "serve.log")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "build.py", "serve", "--data", data, "--content", content,
                                 "--port", "0"], cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        base = None
        deadline = time.perf_counter() + 300
        while base is None and time.perf_counter() < deadline and proc.poll() is None:
            time.sleep(0.1)
            with open(log_path, encoding="utf-8", errors="replace") as f:
                m = SERVING.search(f.read())
            base = m[1] if m else None
        if base is None:
            with open(log_path, encoding="utf-8", errors="replace") as f:
                times.error = "serve did not start: " + f.read().strip()[-300:]
            return times
        url = base + page
        for score in scores:
            before = fetch(url)
            if before is None:
                times.error = f"serve does not serve {page}"
                return times
            started = time.perf_counter()
            write_score(results, index, score)
            seconds = wait_for_change(url, before, started)
            if seconds is None:
                times.error = f"{page} did not change within 120 s of an edit"
                return times
            times.seconds.append(seconds)
            time.sleep(1.0)                    # let the preview go idle before the next edit
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return times


def _full_rebuild(project, data, content, work, results, index, scores, page) -> EditTimes:
    times = EditTimes("full rebuild")
    out = os.path.join(work, "site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "build.py", "--data", data, "--content", content, "--out", out]
    subprocess.run(cmd, cwd=project, capture_output=True, env=env)
    for score in scores:
        started = time.perf_counter()
        write_score(results, index, score)
        result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            times.error = "build failed: " + (result.stderr or result.stdout).strip()[-300:]
            return times
        times.seconds.append(time.perf_counter() - started)
    return times


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--project", default=ROOT)
    ap.add_argument("--data", default=os.path.join(ROOT, "data"))
    ap.add_argument("--content", default=os.path.join(ROOT, "content"))
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "bench-serve-edit"))
    args = ap.parse_args(argv)
    t = measure(args.project, os.path.abspath(args.data), os.path.abspath(args.content), args.work, args.edits)
    print(f"{t.mode}: {', '.join(f'{s:.2f}' for s in t.seconds)} s; median {t.median} {t.error}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
