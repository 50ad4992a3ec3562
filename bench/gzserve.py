#!/usr/bin/env python3
"""A static file server on loopback that gzips text, as a production web server is set up to.

    python bench/gzserve.py FOLDER [--port 8000]

`http.server` sends every file uncompressed; page weights and Lighthouse need what a reader gets
from a real host. Text types (HTML, CSS, JS, JSON, SVG, XML, CSV, TXT) are gzipped at level 6 when
the request accepts gzip; a folder URL serves its `index.html`. Only 127.0.0.1 is ever bound.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import os
import sys
import threading
from functools import partial

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".csv", ".txt", ".map")
LEVEL = 6


class Handler(http.server.SimpleHTTPRequestHandler):
    """`SimpleHTTPRequestHandler` plus gzip for text types and a quiet log."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
                      ".svg": "image/svg+xml", ".woff2": "font/woff2", ".csv": "text/csv; charset=utf-8",
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    _cache: dict = {}
    _lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()             # the redirect to the folder with a slash
            path = os.path.join(path, "index.html")
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (os.path.isfile(path) and path.endswith(COMPRESSIBLE) and wants_gzip):
            return super().send_head()
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            body = self._cache.get(key)
        if body is None:
            with open(path, "rb") as f:
                body = gzip.compress(f.read(), compresslevel=LEVEL, mtime=0)
            with self._lock:
                self._cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


class Server:
    """A gzip static server for `root` on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, root: str, port: int = 0):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=root))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args(argv)
    with Server(args.root, args.port) as server:
        print(f"serving {args.root} at {server.url} (gzip); Ctrl-C stops", flush=True)
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
