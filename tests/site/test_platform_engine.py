"""The second engine: ProperDocs, the maintained fork of MkDocs 1.6 (docs/engine.md). The default
site built with it (`REPORTSITE_ENGINE=properdocs`) is the MkDocs build byte for byte (our theme
writes no generator tag, which would disclose the tools' versions), so every gate run on the MkDocs
build holds for it; its links are checked again.
"""

from __future__ import annotations

import os
import re

import pytest
from conftest import run_build
from test_gates import check_links

from reportsite.build.freeze import tree_hashes

GENERATOR = re.compile(rb'<meta name="generator"')


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> str:
    pytest.importorskip("properdocs", reason="requirements-test.txt installs it: run `make test`")
    out = str(tmp_path_factory.mktemp("properdocs") / "site")
    run = run_build("--out", out, env={**os.environ, "REPORTSITE_ENGINE": "properdocs"})
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_properdocs_builds_the_same_site_byte_for_byte(built_site, properdocs_site):
    ours, theirs = tree_hashes(built_site), tree_hashes(properdocs_site)
    assert sorted(ours) == sorted(theirs)
    assert [p for p in ours if ours[p] != theirs[p]] == []


def test_no_page_carries_a_generator_tag(built_site, properdocs_site):
    for site in (built_site, properdocs_site):
        for parent, _, names in os.walk(site):
            for name in names:
                if name.endswith(".html"):
                    with open(os.path.join(parent, name), "rb") as f:
                        assert not GENERATOR.search(f.read()), os.path.join(parent, name)


def test_properdocs_site_passes_the_link_gate(properdocs_site):
    pages, links, broken = check_links(properdocs_site)
    assert pages > 100 and links > 1000 and broken == []
