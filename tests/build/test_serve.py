"""`build.py serve`: a preview on loopback that rebuilds when the data changes and keeps serving the
last good site when a rebuild fails."""

from __future__ import annotations

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

import pytest
from conftest import ROOT

PAGE = "2020-2021/appendix-3.html"


class Preview:
    """`python build.py serve` in a subprocess, its output read line by line as it comes."""

    def __init__(self, root):
        self.results = root / "data" / "2020-2021" / "results.yaml"
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--lang", "en", "--data", str(root / "data"),
             "--content", str(root / "content"), "--config", str(ROOT / "mkdocs.yml"), "--port", "0"],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        """The first line from now on that matches `pattern`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.seen)) from None
            assert line is not None, f"serve exited, waiting for {pattern!r}:\n" + "\n".join(self.seen)
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found

    def edit(self, old: str, new: str) -> None:
        text = self.results.read_text(encoding="utf-8")
        assert text.count(old) == 1
        self.results.write_text(text.replace(old, new), encoding="utf-8")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def preview(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    running = Preview(tmp_path)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_serve_rebuilds_on_a_data_edit_and_keeps_the_last_good_site(preview):
    served = preview.wait_for(r"serving (http://127\.0\.0\.1:\d+/) from (\S+)")
    url, folder = served.group(1) + PAGE, served.group(2)
    assert os.path.isdir(folder) and not folder.startswith(str(ROOT))
    page = fetch(url)
    assert "<td>354</td><td>99</td>" in page

    written = time.monotonic()
    preview.edit('{code: "354", score: 99}', '{code: "354", score: 99.5}')
    while (new := fetch(url)) == page:
        assert time.monotonic() - written < 20, "the edit was not served within 20 s"
        time.sleep(0.05)
    print(f"serve: edit served {time.monotonic() - written:.2f} s after the write")
    assert "<td>354</td><td>99.5</td>" in new
    preview.wait_for(r"changed: data/2020-2021/results\.yaml")
    preview.wait_for(r"^rebuilt 1 edition, \d+ pages, \d+ errata in \d+\.\ds$")

    preview.edit('{code: "354", score: 99.5}', '{code: "354", score: [}')
    preview.wait_for(r"changed: data/2020-2021/results\.yaml")
    preview.wait_for(r"^data/2020-2021/results\.yaml:\d+:\d+: error \[")
    preview.wait_for(r"^rebuild failed in \d+\.\ds: still serving the last good site$")
    assert fetch(url) == new

    preview.process.send_signal(signal.SIGINT)
    preview.wait_for(r"^stopped$")
    assert preview.process.wait(timeout=30) == 0
    assert not os.path.exists(folder), "the temporary site is removed on exit"
