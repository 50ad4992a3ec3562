"""The archive's life without git commands: `freeze` stores and checks an edition's pages and says
what to commit; `correct` bumps the version, adds a dated correction and re-publishes. A failed
build changes nothing."""

from __future__ import annotations

import json

import pytest
import yaml
from hostile import digest, failed_with, run

EDITION = "2020-2021"


@pytest.fixture
def project(tmp_path):
    """A small valid project (conftest's) with content and settings: the hostile fixture's."""
    from hostile import HostileProject

    return HostileProject(tmp_path)


def edition(project) -> dict:
    return yaml.safe_load((project.data / EDITION / "edition.yaml").read_text(encoding="utf-8"))


def test_freeze_stores_checks_and_says_what_to_commit(project):
    result = run("freeze", EDITION, "--jobs", "1", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert edition(project)["frozen"] is True
    manifest = json.loads((project.root / "frozen" / EDITION / "MANIFEST.json").read_text(encoding="utf-8"))
    assert "index.html" in json.dumps(manifest)
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(f"已冻结 {EDITION}：") and \
        f"git add data/{EDITION}/edition.yaml frozen/{EDITION}" in last
    again = run("freeze", EDITION, "--jobs", "1", "--lang", "en", cwd=project.root)
    assert again.returncode == 0
    assert again.stdout.strip().splitlines()[-1] == \
        f"{EDITION} is frozen already: its stored pages were checked; nothing to commit"


def test_correct_publishes_a_new_version_with_its_dated_note(project):
    assert run("freeze", EDITION, "--jobs", "1", cwd=project.root).returncode == 0
    result = run("correct", EDITION, "--note", "附件 3 中一家联盟的得分更正", "--date", "2022-03-01",
                 "--jobs", "1", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = edition(project)
    assert data["version"] == 2
    assert [(str(c["date"]), c["text"]) for c in data["corrections"]] == [("2022-03-01", "附件 3 中一家联盟的得分更正")]
    home = (project.site / EDITION / "index.html").read_text(encoding="utf-8")
    assert "第 2 版" in home and "附件 3 中一家联盟的得分更正" in home
    stored = (project.root / "frozen" / EDITION / "index.html").read_text(encoding="utf-8")
    assert "第 2 版" in stored


def test_correct_refuses_an_edition_that_is_not_frozen(project):
    before = digest(project.root, (".reportsite",))
    failed_with(run("correct", EDITION, "--note", "x", cwd=project.root), "correct-not-frozen",
                f"data/{EDITION}/edition.yaml")
    failed_with(run("freeze", "2030-2031", cwd=project.root), "freeze-unknown", "data")
    failed_with(run("correct", EDITION, "--note", "x", "--date", "2022-02-30", cwd=project.root), "usage",
                status=2)
    assert digest(project.root, (".reportsite",)) == before


def test_a_failed_build_leaves_edition_yaml_as_it_was(project):
    project.content_file("02-broken.md", "# 坏\n\n{{ 1/0 }}\n")
    before = digest(project.root, (".reportsite",))
    result = run("freeze", EDITION, "--jobs", "1", cwd=project.root)
    failed_with(result, "template-failed", f"content/{EDITION}/02-broken.md:3")
    assert digest(project.root, (".reportsite",)) == before
    assert not (project.root / "frozen").exists()
