"""The second engine: ProperDocs, the maintained fork of MkDocs 1.6 (docs/engine.md). The default
site built with it (`REPORTSITE_ENGINE=properdocs`) is the MkDocs build byte for byte but for the
generator meta tag, so every gate run on the MkDocs build holds for it; its links are checked again.
"""

from __future__ import annotations

import os
import re

import pytest
from conftest import run_build
from test_gates import check_links

from reportsite.build.freeze import tree_hashes

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> str:
    pytest.importorskip("properdocs", reason="requirements-test.txt installs it: run `make test`")
    out = str(tmp_path_factory.mktemp("properdocs") / "site")
    run = run_build("--out", out, env={**os.environ, "REPORTSITE_ENGINE": "properdocs"})
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def without_generator(path: str) -> bytes:
    with open(path, "rb") as f:
        return GENERATOR.sub(b"", f.read())


def test_properdocs_builds_the_same_site(built_site, properdocs_site):
    ours, theirs = tree_hashes(built_site), tree_hashes(properdocs_site)
    assert sorted(ours) == sorted(theirs)
    differing = [p for p in ours if ours[p] != theirs[p]]
    assert all(p.endswith(".html") for p in differing)
    for rel in differing:
        assert without_generator(os.path.join(built_site, rel)) == without_generator(os.path.join(properdocs_site, rel)), rel
    sample = open(os.path.join(properdocs_site, "2020-2021", "index.html"), encoding="utf-8").read()
    assert "ProperDocs" in GENERATOR.search(sample.encode()).group(0).decode()


def test_properdocs_site_passes_the_link_gate(properdocs_site):
    pages, links, broken = check_links(properdocs_site)
    assert pages > 100 and links > 1000 and broken == []
