"""A local preview: build into a temporary folder, serve it on loopback, rebuild when an input changes.

The preview is built into a temporary folder that is removed on exit, never into `site/`, so work in
progress cannot be packaged or uploaded by mistake. Changes are noticed by watchdog (inotify on Linux)
as they happen, not by polling; a rebuild starts once the inputs have been quiet for `QUIET` seconds,
since one save is often several writes. Each rebuild swaps the new site in whole (`publish.publish`);
one that fails, for any reason (bad data, a full disk, a bug in the tool), prints why in one line and
leaves the last good site served. Changes to the Python code need a restart.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import ipaddress
import os
import queue
import shutil
import signal
import socket
import tempfile
import threading
import time
import urllib.parse
from http import HTTPStatus

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from reportsite.model.errors import BuildError
from reportsite.model.messages import Message, message

QUIET = 0.1
"""Seconds without a further change before a rebuild starts."""
CHANGES = ("created", "modified", "moved", "deleted", "closed")
"""Watchdog events that mean a file changed (reading a file, as the build does, is not one)."""


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
"""The names a preview bound to loopback answers to."""


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or a name to bind) is this computer only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_names(host: str) -> frozenset[str]:
    """The `Host` names the preview answers, bound to `host`: the loopback names when bound to
    loopback; else that address and the machine's names and addresses. Any other name in `Host`
    is a web page's trick (DNS rebinding) to read the unpublished draft from a browser."""
    names = set(LOOPBACK_NAMES)
    if is_loopback(host):
        return frozenset(names | {host.lower()})
    machine = {socket.gethostname(), socket.getfqdn()}
    names |= {n.lower() for n in machine if n}
    if host not in ("0.0.0.0", "::", ""):
        names.add(host.lower())
    for name in machine:
        with contextlib.suppress(OSError, UnicodeError):
            names |= {str(info[4][0]).lower() for info in socket.getaddrinfo(name, None)}
    return frozenset(names | {f"[{n}]" for n in names if ":" in n and not n.startswith("[")})


def host_of(header: str | None) -> str:
    """The name of a `Host` header without its port: `[::1]:8000` -> `[::1]`, `a.b:80` -> `a.b`."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        return value[:value.find("]") + 1] if "]" in value else value
    return value.rpartition(":")[0] if value.count(":") == 1 else value


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the preview, asking the browser not to cache it so a reload shows the rebuilt page;
    answers only the `Host` names of `hosts`, and a path it cannot map to a file (a NUL byte, an
    undecodable byte) with 400, never a traceback."""

    hosts: frozenset[str] = LOOPBACK_NAMES

    def send_head(self):
        if host_of(self.headers.get("Host")) not in self.hosts:
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "This preview answers only its own address")
            return None
        path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0], errors="surrogateescape")
        if "\x00" in path or any("\ud800" <= c <= "\udfff" for c in path):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        try:
            return super().send_head()
        except (ValueError, UnicodeError):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    """The preview's server: a request that fails in a way the handler did not foresee ends that
    request, silently, instead of printing a traceback among the preview's lines."""

    def handle_error(self, request, client_address) -> None:
        pass


class _Changes(FileSystemEventHandler):
    """Queues every changed path below a folder, or only `path` itself when it names a file."""

    def __init__(self, found: queue.Queue, path: str):
        self.found = found
        self.only = path if os.path.isfile(path) else None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES or event.is_directory and event.event_type == "modified":
            return
        for path in map(os.fsdecode, (event.src_path, getattr(event, "dest_path", ""))):
            name = os.path.basename(path)
            if not path or name.startswith(".") or name.endswith("~"):
                continue
            if self.only is None or os.path.abspath(path) == self.only:
                self.found.put(path)


def watch(paths: list[str], found: queue.Queue) -> BaseObserver:
    """Start watching folders (recursively) and single files (through their folder)."""
    observer = Observer()
    for path in paths:
        path = os.path.abspath(path)
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        observer.schedule(_Changes(found, path), folder, recursive=os.path.isdir(path))
    observer.start()
    return observer


def described(paths: set[str]) -> Message | str:
    """`data/2020-2021/results.yaml and 2 more`."""
    shown = sorted(os.path.relpath(p) for p in paths)
    return message("list-more", head=shown[0], more=len(shown) - 1) if len(shown) > 1 else shown[0]


def _stop(signum, frame):
    raise KeyboardInterrupt


def attempt(build, out_dir: str, quiet: bool, explain) -> tuple[str | None, float]:
    """Run `build`: its summary (None when it failed, having said why) and the seconds it took.

    Whatever it raises (short of Ctrl+C) is printed by `explain(exc)` as one line: the preview
    outlives a failed build."""
    started = time.perf_counter()
    try:
        summary = build(out_dir, quiet=quiet)
    except Exception as exc:  # noqa: BLE001 - whatever a build raises is said, and the preview goes on
        explain(exc)
        summary = None
    return summary, time.perf_counter() - started


def listen(host: str, port: int, out_dir: str) -> http.server.ThreadingHTTPServer:
    """The preview's server on `host:port`, not yet serving, answering only the names of
    `host_names(host)`; `BuildError` when the address is taken or cannot be used."""
    handler = type("Handler", (_Handler,), {"hosts": host_names(host)})
    try:
        server = type("Server", (_Server,), {"address_family": socket.AF_INET6 if ":" in host else socket.AF_INET})
        return server((host.strip("[]"), port), functools.partial(handler, directory=out_dir))
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BuildError.of("port-busy", f"{host}:{port}", reason=reason) from exc


def rebuild_on_change(build, out_dir: str, found: queue.Queue, explain, tell) -> None:
    """Wait for changes and rebuild, one line per change and per outcome, until interrupted."""
    while True:
        changed = {found.get()}
        while True:
            try:
                changed.add(found.get(timeout=QUIET))
            except queue.Empty:
                break
        tell(message("serve-changed", time=time.strftime("%H:%M:%S"), paths=described(changed)))
        summary, seconds = attempt(build, out_dir, quiet=True, explain=explain)
        if summary is None:
            tell(message("serve-rebuild-failed", seconds=f"{seconds:.1f}"))
        else:
            tell(message("serve-rebuilt", summary=summary, seconds=f"{seconds:.1f}"))


def serve(build, inputs: list[str], host: str, port: int, explain, tell=print) -> int:
    """Build with `build(out_dir, quiet)`, serve the result at `host:port`, rebuild when `inputs`
    change, until Ctrl+C or SIGTERM; the exit status.

    `build` returns a one-line summary, or None after printing why the input is invalid; whatever
    it raises is printed by `explain(exc)`, and each line of progress by `tell(message)`. Raises
    `BuildError` when the address cannot be served, before anything is built.
    """
    # Both stop the preview cleanly, even when started in the background, where SIGINT is ignored.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    work = tempfile.mkdtemp(prefix="reportsite-serve-")
    out_dir = os.path.join(work, "site")
    server = observer = None
    serving = False
    try:
        server = listen(host, port, out_dir)
        summary, seconds = attempt(build, out_dir, quiet=False, explain=explain)
        if summary is None:
            tell(message("serve-first-failed"))
            return 1
        tell(message("serve-built", summary=summary, seconds=f"{seconds:.1f}"))
        found: queue.Queue = queue.Queue()
        present = [p for p in inputs if os.path.exists(p)]
        observer = watch(present, found)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        serving = True
        shown = f"[{host.strip('[]')}]" if ":" in host else host
        if not is_loopback(host):
            tell(message("serve-network", host=host))
        tell(message("serve-serving", url=f"http://{shown}:{server.server_address[1]}/", path=out_dir))
        tell(message("serve-watching", paths=", ".join(os.path.relpath(p) for p in present)))
        rebuild_on_change(build, out_dir, found, explain, tell)
    except KeyboardInterrupt:
        tell(message("serve-stopped"))
    finally:
        if serving and server is not None:
            server.shutdown()  # waits for serve_forever(), so only once it runs
        if server:
            server.server_close()
        if observer:
            observer.stop()
            observer.join()
        shutil.rmtree(work, ignore_errors=True)
    return 0
