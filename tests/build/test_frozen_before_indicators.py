"""A frozen edition stored before the indicator findings and the rank movements (issue 25) keeps
its stored pages: the build copies them, never stops with `[frozen]`, although the tool now adds
名次变化 and 得分变化 to a ranking with a previous edition (docs/data.md, *Frozen editions and
site-wide changes*).

The archive is the two-edition one of `test_past_unchanged` (2020-2021, then 2022-2023 in which
110 and 104 moved and 105 is new), its later edition frozen. Whether stored pages are copied is
decided by the manifest alone: `sources` (what the people wrote) or, in a manifest stored before
`sources` was recorded, `inputs` (what a reader reads, in the tool's words of that time). Both are
pinned below as the tool stored them for this archive before this feature (at b63cae5, `freeze
2022-2023 --no-pdf`); the stored pages are the ones this tool stores, marked, so a copy shows."""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import EDITION, ROOT, run_build
from hostile import digest as hashes
from test_past_unchanged import LATER, later_edition

BEFORE = {
    "inputs": "328f35344b1af0a5f13230dbba4d3aa3adcbb7e1c2ecaa0d05b4ec2d7e28db93",
    "sources": "0fe3b64117f3ea329bfb426975f8771d96f25c82d9e9a5cb896ddbffd6062d1f",
}
"""The fingerprints of 2022-2023 in the manifest the tool stored before issue 25."""
MARK = "<!-- stored before the rank movements -->"


def build(project):
    return run_build("--data", "data", "--out", "site", "--config", str(ROOT / "mkdocs.yml"), "--jobs", "1",
                     "--no-pdf", "--lang", "en", cwd=project.root)


def stored_before(project, manifest_fields: dict) -> dict[str, str]:
    """Freeze 2022-2023 and turn its store into one made before this feature: the manifest's
    fingerprints are those of the tool of that time (`manifest_fields`), and the ranking carries a
    mark (its checksum updated) that only a copy of the stored pages shows. The stored files'
    hashes."""
    later_edition(project)
    project.write(f"{LATER}/edition.yaml", project.text(f"{LATER}/edition.yaml") + "frozen: true\n")
    first = build(project)
    assert first.returncode == 0, first.stdout + first.stderr
    stored = project.root / "frozen" / LATER
    ranking = stored / "ranking.html"
    assert "名次变化" in ranking.read_text(encoding="utf-8"), "the tool adds the movements to a fresh build"
    ranking.write_text(ranking.read_text(encoding="utf-8").replace("</body>", f"{MARK}</body>"), encoding="utf-8")
    manifest = json.loads((stored / "MANIFEST.json").read_text(encoding="utf-8"))
    manifest["files"]["ranking.html"] = hashlib.sha256(ranking.read_bytes()).hexdigest()
    manifest = {**{k: v for k, v in manifest.items() if k not in ("inputs", "sources")}, **manifest_fields}
    (stored / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    return {k: v for k, v in hashes(stored).items() if k != "MANIFEST.json"}


@pytest.mark.parametrize("manifest_fields", [
    {"inputs": "0" * 64, "sources": BEFORE["sources"]},
    {"inputs": BEFORE["inputs"]},
], ids=["by-sources", "by-reader-text"])
def test_a_frozen_edition_stored_before_the_movements_is_copied(project, manifest_fields):
    stored = stored_before(project, manifest_fields)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[frozen]" not in result.stdout + result.stderr
    # Matched by sources while the text differs, the line says the tool now words the pages otherwise.
    said = "(frozen; data and narrative unchanged): copied" if "sources" in manifest_fields else "(frozen, unchanged): copied"
    assert f"{LATER} {said}" in result.stdout
    assert hashes(project.root / "site" / LATER) == stored
    assert MARK in (project.root / "site" / LATER / "ranking.html").read_text(encoding="utf-8")
    manifest = json.loads((project.root / "frozen" / LATER / "MANIFEST.json").read_text(encoding="utf-8"))
    # A manifest without sources gains them, as the tool of that time computed them.
    assert manifest["sources"] == BEFORE["sources"]


def test_the_same_edition_not_frozen_shows_how_each_alliance_moved(project):
    later_edition(project)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    ranking = (project.root / "site" / LATER / "ranking.html").read_text(encoding="utf-8")
    assert "名次变化" in ranking and f"与 {EDITION} 年度相比" in ranking
