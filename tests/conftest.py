"""Shared fixtures: a small valid project written into `tmp_path`, to be broken one file at a time.

The project is small enough to reason about line numbers: read the files below with their line
numbers in mind, since the tests name `file:line:col` positions in them.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import inspect
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# `pytest` run from anywhere (not only `python -m pytest` from the root) must find the package.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reportsite.model.records import Archive, Problem  # noqa: E402
from reportsite.read.check import check_archive  # noqa: E402

EDITION = "2020-2021"
REGISTRY = "alliances.yaml"
EDITION_YAML = f"{EDITION}/edition.yaml"
RESULTS = f"{EDITION}/results.yaml"
EXPERTS = f"{EDITION}/experts.yaml"
INDICATORS = f"{EDITION}/indicators.yaml"

# Line numbers matter: cases point at them. 5 alliances, 2 groups used, codes quoted and bare.
VALID = {
    REGISTRY: """\
- code: "104"
  name: 农业装备产业技术创新战略联盟
- code: "110"
  name: 半导体照明产业技术创新战略联盟
  aliases: [国家半导体照明工程研发及产业联盟]
- code: "201"
  name: 激光加工产业技术创新战略联盟
- code: "233"
  name: 住宅科技产业技术创新战略联盟
- code: D106
  name: 第三代半导体产业技术创新战略联盟
""",
    EDITION_YAML: """\
title: 2020-2021 年度产业技术创新战略联盟活跃度评价报告
period: {start: 2020-01-01, end: 2021-09-30}
published: 2022-02
publishers: [中国产业技术创新战略联盟协同发展网, 中关村国联产业协同创新发展促进中心]
tiers:
  - {key: high, name: 活跃度高, min: 85}
  - {key: higher, name: 活跃度较高, min: 70}
  - {key: medium, name: 活跃度一般, min: 50}
  - {key: inactive, name: 不活跃, min: 0}
groups:
  - {prefix: "1", name: 第一批试点联盟, size: 52}
  - {prefix: "2", name: 第二批试点联盟, size: 39}
  - {prefix: "D", name: 协发网网员联盟, size: 11, pilot: false}
entered: 5
a_level:
  name: A级活跃度产业技术创新战略联盟
  rule: 2018-2021 连续三个评价期活跃度高
  consecutive: 3
  codes: ["110"]
""",
    RESULTS: """\
evaluated:
  - {code: "110", score: 100}
  - {code: "104", score: 72}
  - {code: "233", tier: inactive}
incomplete: ["201", D106]
""",
    EXPERTS: """\
- {role: 顾问, name: 李新男, titles: [产业技术创新战略联盟试点工作联络组秘书长]}
- {role: 组长, name: 仲继寿, titles: [联盟协发网自律机制建设部部长, 住宅科技产业技术创新战略联盟秘书长]}
""",
    INDICATORS: """\
- name: 联盟组织机构建设与运行
  items: [理事会会议, 专家委员会会议, 成员大会]
""",
}

ACKNOWLEDGE_SHORTFALL = """\
acknowledged:
  - {slug: count-shortfall, subject: "6", reason: 原报告称 6 家联盟录入信息；按原报告保留。}
"""
"""To append to `edition.yaml` (its item at line 21, column 5): keeps the shortfall found when
`entered` is raised to 6."""

EARLIER_EDITION = VALID[EDITION_YAML].split("a_level:")[0]
"""An earlier edition's `edition.yaml`: the same bands and groups, no A-level list."""


class Project:
    """A data folder under `root/data`, valid until a test edits one of its files."""

    def __init__(self, root: Path, written: bool = False):
        """The project in `root`, its data written unless `written` (a copy is there already)."""
        self.root = root
        self.data = root / "data"
        for rel, text in ({} if written else VALID).items():
            self.write(rel, text)

    def text(self, rel: str) -> str:
        """The current text of a file under `data/`."""
        return (self.data / rel).read_text(encoding="utf-8")

    def write(self, rel: str, content: str | bytes | None) -> None:
        """Replace a file under `data/` (bytes are written as they are; None deletes it, or a folder)."""
        path = self.data / rel
        if content is None and path.is_dir():
            shutil.rmtree(path)
        elif content is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    def replace(self, rel: str, old: str, new: str) -> None:
        """Replace the one occurrence of `old` in a file (two would make the case ambiguous)."""
        text = self.text(rel)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        self.write(rel, text.replace(old, new))

    def add_edition(self, edition_id: str, results: str, edition: str = EARLIER_EDITION) -> None:
        """Another edition folder, e.g. an earlier one for the A-level history."""
        self.write(f"{edition_id}/edition.yaml", edition)
        self.write(f"{edition_id}/results.yaml", results)

    def check(self, strict: bool = False) -> tuple[Archive | None, list[Problem]]:
        """`check_archive` on `data`, relative to the working directory (the project root)."""
        return check_archive("data", strict=strict)

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """`python build.py check ARGS` as a subprocess, run in `cwd` (the project root)."""
        return run_build("check", *args, cwd=cwd or self.root)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    """A valid project in `tmp_path`, which is also the working directory (paths print as `data/...`)."""
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def rendered(problems: list[Problem], lang: str = "en") -> list[str]:
    """The problems as the command line prints them with `--lang lang` (paths are already relative
    to the root)."""
    return [p.render(lang=lang) for p in problems]


# --- Markers for the inner loop ------------------------------------------------------------
# `make test-quick` runs what needs no browser, no PDF and no whole build. A test is marked at
# collection from what it uses, so a new test is classified without anyone remembering to:
# `browser` when it asks for Chromium, `pdf` when its module typesets PDFs, `slow` when it uses a
# built site or runs a command in a process of its own.

BROWSER_FIXTURES = {"browser", "page"}
PDF_MODULES = {"test_pdf", "test_hostile_pdf"}
PROCESS_CALLS = re.compile(r"\b(?:run_build|run|main|subprocess\.(?:run|Popen|check_output|check_call)|"
                           r"[a-z_]+\.(?:build|run|main))\(")
"""What starts a command in a process of its own (or a whole build in this one)."""


CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\(")


@functools.cache
def _runs_commands(function, depth: int = 3) -> bool:
    """Whether `function`, or a function of its module it calls (to `depth` calls down), starts a
    command in a process of its own."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    if PROCESS_CALLS.search(source):
        return True
    module = inspect.getmodule(function)
    called = {getattr(module, name, None) for name in CALL.findall(source)} - {function, None}
    return depth > 0 and any(inspect.isfunction(f) and inspect.getmodule(f) is module and _runs_commands(f, depth - 1)
                             for f in called)


def pytest_collection_modifyitems(items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if item.module.__name__ in PDF_MODULES:
            item.add_marker(pytest.mark.pdf)
        fixtures = [d.func for n in names for d in item._fixtureinfo.name2fixturedefs.get(n, ())]
        if any(_runs_commands(f) for f in [item.function, *fixtures]):
            item.add_marker(pytest.mark.slow)


# --- The default site built once, served on loopback, and Debian's Chromium -------------------
# Browser tests drive Debian's Chromium (found on PATH) through Playwright; a browser is never
# downloaded. `make test` installs Chromium when it is missing, so these tests never skip.

VNU_JAR = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
"""The current W3C Nu HTML checker (npm `vnu-jar`, pinned in tests/tools/package-lock.json and
installed by `make test`), run with Java."""

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


@functools.cache
def projects() -> Path:
    """This test process's copy of the repository's projects (`data/`, `content/`, `mkdocs.yml`
    and the example archive, `examples/archive/`): a build of them takes their lock and fills their
    PDF cache here, never in the repository, so test processes side by side (`pytest -n 2`) never
    meet. Made once per process, removed at its exit."""
    base = Path(tempfile.mkdtemp(prefix="reportsite-projects-"))
    atexit.register(shutil.rmtree, base, True)
    for name in ("data", "content"):
        shutil.copytree(ROOT / name, base / name)
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    shutil.copytree(ROOT / "examples" / "archive", base / "examples" / "archive")
    return base


def run_build(*args: str, cwd: Path | str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` as a user runs it, by default in this process's copy of the
    repository's projects (`projects()`)."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd or projects(),
                          capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> str:
    """The default site (data/ and content/ of the project), built once into a temp folder."""
    out = str(tmp_path_factory.mktemp("site") / "site")
    result = run_build("--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


# --- The three-edition example archive (examples/archive), built once per test module -----------

EXAMPLE_DATA = ROOT / "examples" / "archive" / "data"
"""The example archive's data, to read (a build uses `projects()`'s copy)."""
SETTINGS = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
GOV = SETTINGS["extra"]["gov"]
DEMO_GOV = {**GOV, "sponsor": "示例主办单位", "site_id_code": "0000000001",
            "icp": "京ICP备00000001号", "police": "京公网安备 11000000000001号",
            "header_name": "示例部", "home_url": "https://www.example.gov.cn/", "emblem": "art/emblem.svg",
            "contact_url": "https://www.example.gov.cn/lxwm/", "error_url": "https://www.example.gov.cn/zc/?a=1&b=2",
            "dzjg_logo": "art/dzjg.svg", "dzjg_url": "https://bszs.conac.cn/sitename?method=show&id=0"}
"""The demo's `extra.gov`: values found nowhere else, so each one can be traced to the pages; the
column's look filled in (its images are drawn by `demo_site`), so the gates see every item of it."""
DEMO_IMAGE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
              '<rect width="64" height="64" rx="8" fill="#8a1c1c"/></svg>\n')
"""The demo's emblem and 党政机关网站标识: a plain square, never the real marks."""


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> str:
    """The three-edition example archive, built once, with the project's settings."""
    out = str(tmp_path_factory.mktemp("home-example") / "site")
    result = run_build("--data", "examples/archive/data", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> str:
    """The example archive built with `DEMO_GOV` as its `extra.gov` (the quality gates' demo): three
    editions, so the switcher, histories and changes pages exist."""
    out = tmp_path_factory.mktemp("gates-demo") / "site"
    (out.parent / "art").mkdir()
    for name in ("emblem", "dzjg"):
        (out.parent / "art" / f"{name}.svg").write_text(DEMO_IMAGE, encoding="utf-8")
    config = out.parent / "mkdocs-demo.yml"
    config.write_text(yaml.safe_dump({**SETTINGS, "extra": {**SETTINGS["extra"], "gov": DEMO_GOV}},
                                     allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_build("--data", "examples/archive/data", "--config", str(config), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return str(out)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site served on loopback under a sub-path, as a government site would host it.

    Yields the base URL ending in `/`: `site/` is served as `/kjbgz/`.
    """
    root = os.path.dirname(built_site)
    mount = os.path.join(root, "www", "kjbgz")
    if not os.path.exists(mount):
        shutil.copytree(built_site, mount)
    handler = functools.partial(_QuietHandler, directory=os.path.join(root, "www"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/kjbgz/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    assert path, "chromium is not installed: run `make test`, which installs it"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page recording every request (`page.requests`) and console error (`page.console_errors`).

    The page's Content-Security-Policy is bypassed so the tests may wait on expressions (Playwright
    evaluates them, which the policy forbids); tests/site/test_platform_browser.py checks the pages under
    the policy itself."""
    context = browser.new_context(bypass_csp=True)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


_PREBUILT: dict[str, Path] = {}
"""Projects built once in this test process, by name (`prebuilt`)."""


def prebuilt(name: str, make, into: Path) -> None:
    """Copy into `into` the project that `make(folder)` writes and builds, made once in this test
    process: a build's output names no folder of its own (its pages, manifest and stored files
    hold relative paths only), so the copy is the project as a build in `into` leaves it, at the
    cost of a copy instead of a build for each test."""
    if name not in _PREBUILT:
        base = Path(tempfile.mkdtemp(prefix=f"reportsite-{name}-"))
        atexit.register(shutil.rmtree, base, True)
        make(base / "project")
        naming = [str(p) for p in (base / "project").rglob("*") if p.is_file() and str(base).encode() in p.read_bytes()]
        assert not naming, f"a build wrote its own folder's path into {naming}: its copy would point back"
        _PREBUILT[name] = base / "project"
    shutil.copytree(_PREBUILT[name], into, symlinks=True, dirs_exist_ok=True)


def build_hostile(root: Path) -> None:
    """A `hostile.HostileProject` in `root`, its site built."""
    from hostile import HostileProject

    result = HostileProject(root).build()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """A `hostile.HostileProject` in `tmp_path` (the working directory), its site built once (a
    copy of the one built first in this process, `prebuilt`)."""
    from hostile import HostileProject

    monkeypatch.chdir(tmp_path)
    prebuilt("hostile", build_hostile, tmp_path)
    return HostileProject(tmp_path, written=True)
