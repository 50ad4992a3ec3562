"""Shared machinery of the hostile-input suite (tests/test_hostile_*.py).

Every case asserts the exact outcome: the error's slug and location, or the clean result; that no
file outside the output folder changed; that nothing injected is live in the built site; that no
traceback was printed; and that the previous site is intact after a failure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT, VALID, Project

MARKER = "PWNED"
"""Every injected script calls `alert('PWNED')` or names PWNED, so a live one can be told from ours."""

PAYLOADS = (
    "<script>alert('PWNED')</script>",
    "<img src=x onerror=alert('PWNED')>",
    "[x](javascript:alert('PWNED'))",
    "*强*{: onmouseover=alert('PWNED') }",
    "</title><script>alert('PWNED')</script>",
    "<svg onload=alert('PWNED')>",
    "\"'><a href=javascript:alert('PWNED')>",
    "</script><script>alert('PWNED')</script>",
    "{{ 7*7 }}{% raw %}",
    "| a | b |",
)
"""Hostile strings a data value may hold (each also tried in a real-looking name)."""

DATA_BLOCK = re.compile(r"application/(ld\+)?json$", re.I)
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc")


def digest(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under `root` (symlinks by their target text), skipping any path under
    one of the folders `skip` (relative to `root`)."""
    out: dict[str, str] = {}
    if not root.exists():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = sorted(d for d in dirnames
                             if os.path.normpath(os.path.join(rel_dir, d)) not in skip)
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            if os.path.islink(path):
                out[rel] = "link:" + os.readlink(path)
            else:
                out[rel] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return out


def _unquoted(url: str) -> str:
    """A URL as a browser reads its scheme: control characters and whitespace dropped, lower case."""
    return re.sub(r"[\x00-\x20]", "", url).lower()


def live_script(site: Path) -> list[str]:
    """Everything injected that would run in a reader's browser, found by parsing every HTML and
    SVG file of `site`: `on*` attributes, `javascript:`/`vbscript:`/`data:text/html` URLs, script
    elements naming the marker or loading from another host, frames and objects."""
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".svg") or not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "html.parser")
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                values = value if isinstance(value, list) else [value]
                if attr.lower().startswith("on"):
                    found.append(f"{rel}: <{tag.name} {attr}>")
                if attr.lower() in URL_ATTRS:
                    for v in values:
                        if _unquoted(str(v)).startswith(("javascript:", "vbscript:", "data:text/html")):
                            found.append(f"{rel}: <{tag.name} {attr}={v!r}>")
            if tag.name in ("iframe", "object", "embed", "frame", "base"):
                found.append(f"{rel}: <{tag.name}>")
            if tag.name == "script" and DATA_BLOCK.match(str(tag.get("type") or "")):
                # A data block (JSON-LD, a page's settings) is never run: it may name the marker as
                # text, but must stay one valid JSON value that nothing in it could end.
                try:
                    json.loads(tag.get_text())
                except ValueError:
                    found.append(f"{rel}: <script type={tag.get('type')}> is not JSON")
                if "</" in tag.get_text() or "<!--" in tag.get_text():
                    found.append(f"{rel}: <script type={tag.get('type')}> holds markup")
            elif tag.name == "script":
                src = str(tag.get("src") or "")
                if MARKER in tag.get_text() or MARKER in src:
                    found.append(f"{rel}: <script> {tag.get_text()[:60]!r}")
                if re.match(r"^(https?:)?//", src.strip(), re.I):
                    found.append(f"{rel}: <script src={src!r}>")
    return found


def marker_in_markup(site: Path) -> list[str]:
    """Files where the marker reached markup as markup: an element or attribute the parser made
    from injected text (the text itself, shown escaped, is fine)."""
    found = []
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                if attr.lower().startswith("on") and MARKER in str(value):
                    found.append(str(path.relative_to(site)))
    return found


def run(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120,
        stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    """`python build.py ARGS` run in `cwd`, as a user runs it (bounded in time)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, env=full_env, timeout=timeout, stdin=stdin)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    """The command printed no Python traceback."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]


def failed_with(result: subprocess.CompletedProcess, slug: str, location: str | None = None,
                status: int = 1) -> str:
    """The command failed with status `status`, printed `error [slug]` (at `location` when
    given) and no traceback; the matching line."""
    no_traceback(result)
    output = result.stdout + result.stderr
    assert result.returncode == status, f"exit {result.returncode}: {output[-3000:]}"
    lines = [line for line in output.splitlines() if f"error [{slug}]" in line]
    assert lines, f"no error [{slug}] in: {output[-3000:]}"
    if location is not None:
        # `file:line` matches that line at any column; `file:line:col` only that column.
        at = re.compile(rf"{re.escape(location)}(?::[0-9]+)?: ")
        assert any(at.match(line) for line in lines), f"no error [{slug}] at {location}: {lines}"
    return lines[0]


class HostileProject(Project):
    """The small valid project of conftest, with a content folder, settings and a site built once
    before the hostile change (so a failure can be checked to leave it intact)."""

    def __init__(self, root: Path, written: bool = False):
        """The project in `root`, its files written unless `written` (a copy is there already)."""
        super().__init__(root, written)
        self.content = root / "content" / "2020-2021"
        self.site = root / "site"
        if written:
            return
        self.content.mkdir(parents=True)
        (self.content / "01-preface.md").write_text("# 前言\n\n参评联盟 {{ n.evaluated }} 家。\n",
                                                    encoding="utf-8")
        (root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"),
                                         encoding="utf-8")

    def content_file(self, name: str, text: str) -> Path:
        """Write a content file of the edition."""
        path = self.content / name
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str, env: dict | None = None, timeout: float = 120,
              pdf: bool = False) -> subprocess.CompletedProcess:
        """`python build.py build ARGS` in the project root (default `--out site`, 1 job), without
        the PDF unless `pdf` (it adds seconds to every build and is tested on its own)."""
        return run("build", "--jobs", "1", *([] if pdf else ["--no-pdf"]), *args, cwd=self.root, env=env,
                   timeout=timeout)

    def digest(self, skip: tuple[str, ...] = ("site", ".reportsite")) -> dict[str, str]:
        """Every file of the project outside the output folder and the tool's own folder."""
        return digest(self.root, skip)


__all__ = ["HostileProject", "MARKER", "PAYLOADS", "VALID", "digest", "failed_with", "live_script",
           "marker_in_markup", "no_traceback", "run"]
