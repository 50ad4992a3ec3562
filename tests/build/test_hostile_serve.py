"""The preview server and the inputs a command opens (issue 22): `serve` answers only its own Host
names (a web page on another name cannot read the unpublished draft through DNS rebinding), warns
in one line when bound beyond this computer, and answers a path it cannot map with 400, never a
traceback; a named pipe or device among the inputs is refused unopened, and a data file over
1 MB is refused unread.

Each case asserts the status code or the slug and location, and no traceback.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
from conftest import EDITION, RESULTS, ROOT
from hostile import HostileProject, failed_with, run


def serving(project: HostileProject, *args: str):
    """`python build.py serve --port 0 ARGS` until it serves; the process, its port and its lines."""
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--lang", "en",
                                "--jobs", "1", *args], cwd=project.root, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        assert line, "serve exited:\n" + "".join(lines)
        lines.append(line)
        found = re.search(r"serving http://\S+:(\d+)/", line)
        if found:
            return process, int(found.group(1)), lines
    raise AssertionError("serve did not start:\n" + "".join(lines))


def stop(process, lines: list[str]) -> str:
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    return "".join(lines) + out


def status(port: int, path: str = "/index.html", host: str | None = None, address: str = "127.0.0.1") -> int:
    connection = http.client.HTTPConnection(address, port, timeout=20)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None and host != "":
            connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> HostileProject:
    return HostileProject(tmp_path_factory.mktemp("project"))


def test_the_loopback_preview_answers_only_loopback_names(project):
    process, port, lines = serving(project)
    try:
        assert status(port, host=f"127.0.0.1:{port}") == 200
        assert status(port, host=f"localhost:{port}") == 200
        assert status(port, host="localhost") == 200
        assert status(port, host=f"LOCALHOST:{port}") == 200
        assert status(port, host=f"evil.example:{port}") == 421
        assert status(port, host="127.0.0.1.evil.example") == 421
        assert status(port, host="") == 421
        assert status(port, "/x%00") == 400
        assert status(port, "/%ff%fe") == 400
        assert status(port, "/x%00", host="evil.example") == 421
        assert status(port, "/%2e%2e/%2e%2e/etc/passwd") == 404
    finally:
        output = stop(process, lines)
    assert "Traceback" not in output and "listens on" not in output


def test_the_loopback_preview_on_ipv6_answers_its_name(project):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    process, port, lines = serving(project, "--host", "::1")
    try:
        assert status(port, host=f"[::1]:{port}", address="::1") == 200
        assert status(port, host=f"evil.example:{port}", address="::1") == 421
    finally:
        output = stop(process, lines)
    assert "serving http://[::1]:" in output


def test_a_preview_on_every_address_warns_and_answers_the_machine_s_names(project):
    process, port, lines = serving(project, "--host", "0.0.0.0")
    try:
        assert status(port, host=f"{socket.gethostname()}:{port}") == 200
        assert status(port, host=f"127.0.0.1:{port}") == 200
        assert status(port, host=f"evil.example:{port}") == 421
    finally:
        output = stop(process, lines)
    warned = [line for line in output.splitlines() if "listens on 0.0.0.0" in line]
    assert warned == ["note: the preview listens on 0.0.0.0, so others on the network can see the unpublished "
                      "draft; drop --host to preview on this computer only"]


# --- Named pipes and devices among the inputs are never opened --------------------------------

def fifo(path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def test_a_named_pipe_in_data_is_refused_unopened(project, tmp_path):
    target = project.data / RESULTS
    kept = target.read_bytes()
    fifo(target)
    try:
        line = failed_with(run("check", "--lang", "en", cwd=project.root, timeout=60), "file-unreadable",
                           f"data/{RESULTS}")
    finally:
        target.unlink()
        target.write_bytes(kept)
    assert "not a plain file" in line


def test_a_device_in_data_is_refused_unopened(project):
    target = project.data / EDITION / "experts.yaml"
    kept = target.read_bytes()
    target.unlink()
    target.symlink_to("/dev/zero")
    try:
        failed_with(run("check", cwd=project.root, timeout=60), "file-unreadable", f"data/{EDITION}/experts.yaml")
    finally:
        target.unlink()
        target.write_bytes(kept)


def test_a_named_pipe_as_a_content_file_is_refused_unopened(project):
    target = project.content / "02-pipe.md"
    fifo(target)
    try:
        failed_with(run("check", cwd=project.root, timeout=60), "content-not-file", "content/2020-2021/02-pipe.md")
    finally:
        target.unlink()


def test_a_named_pipe_as_the_settings_is_refused_unopened(project, tmp_path):
    fifo(tmp_path / "pipe.yml")
    failed_with(project.build("--config", str(tmp_path / "pipe.yml"), timeout=60), "settings-unreadable")


def test_a_named_pipe_to_import_is_refused_unopened(project):
    fifo(project.root / "pipe.xlsx")
    try:
        failed_with(run("import", EDITION, "pipe.xlsx", cwd=project.root, timeout=60), "import-not-file", "pipe.xlsx")
    finally:
        (project.root / "pipe.xlsx").unlink()


def test_a_2_mb_data_file_is_refused_unread(project):
    target = project.data / EDITION / "indicators.yaml"
    kept = target.read_bytes()
    target.write_text("- name: 指标\n  items: [" + ", ".join(["理事会会议"] * 150_000) + "]\n", encoding="utf-8")
    assert target.stat().st_size > 2_000_000
    started = time.monotonic()
    try:
        line = failed_with(run("check", "--lang", "en", cwd=project.root, timeout=60), "file-too-large",
                           f"data/{EDITION}/indicators.yaml")
    finally:
        target.write_bytes(kept)
    assert "over the limit of 1 MB" in line and time.monotonic() - started < 30
