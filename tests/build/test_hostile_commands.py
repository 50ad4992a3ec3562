"""Commands that change an edition, given what a careless or hostile user gives them (issue 22):
`correct` with a date outside the edition's life or a note a GBK terminal sent; each refused
before anything is read or written, with the slug and status asserted and data/, content/ and
frozen/ unchanged.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hostile import HostileProject, digest, failed_with, run

EDITION = "2020-2021"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> HostileProject:
    """A project whose edition is frozen (published 2022-02), its pages stored."""
    project = HostileProject(tmp_path_factory.mktemp("project"))
    result = run("freeze", EDITION, "--jobs", "1", "--no-pdf", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def state(project: HostileProject) -> dict:
    return {name: digest(project.root / name) for name in ("data", "content", "frozen")}


def correct(project: HostileProject, *args):
    return run("correct", EDITION, "--jobs", "1", "--no-pdf", "--lang", "en", *args, cwd=project.root)


@pytest.mark.parametrize("day", ["1990-01-01", "2022-01-31", (dt.date.today() + dt.timedelta(days=1)).isoformat()],
                         ids=["1990", "the-day-before-the-month", "tomorrow"])
def test_a_correction_dated_outside_the_edition_s_life_is_refused(frozen, day):
    before = state(frozen)
    line = failed_with(correct(frozen, "--note", "附件 3 更正", "--date", day), "correct-date",
                       f"data/{EDITION}/edition.yaml")
    assert day in line and "2022-02-01" in line and dt.date.today().isoformat() in line
    assert state(frozen) == before


@pytest.mark.parametrize("note, slug", [
    (os.fsdecode("更正".encode("gbk")), "correct-note-encoding"),
    ("更正\x1b[2J", "correct-note-text"),
    ("更正\ufffe", "correct-note-text"),
    ("  ", "correct-note-text"),
], ids=["gbk-bytes", "terminal-escape", "noncharacter", "blank"])
def test_a_note_that_is_not_text_is_refused_before_anything_is_written(frozen, note, slug):
    before = state(frozen)
    result = correct(frozen, "--note", note, "--date", "2022-03-01")
    line = failed_with(result, slug, status=2)
    assert "\x1b" not in result.stdout + result.stderr and "--note" in line
    assert state(frozen) == before


# --- Several files as one transaction (build/journal.py) --------------------------------------

from reportsite.build import journal  # noqa: E402
from reportsite.build.lock import held  # noqa: E402


@pytest.fixture
def files(tmp_path):
    """A project folder with two files and a store folder, and the transaction's plan for them."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "data" / "b.yaml").write_text("b: 1\n", encoding="utf-8")
    (tmp_path / "frozen" / EDITION).mkdir(parents=True)
    (tmp_path / "frozen" / EDITION / "index.html").write_text("v1\n", encoding="utf-8")
    change = journal.Transaction(str(tmp_path / ".reportsite"), "correct")
    change.write(str(tmp_path / "data" / "a.yaml"), "a: 2\n")
    change.write(str(tmp_path / "data" / "new.yaml"), "new: 1\n")
    change.tree(str(tmp_path / "frozen" / EDITION))
    return tmp_path, change


def tree(root) -> dict:
    return {top: digest(root / top) for top in ("data", "frozen")}


def test_a_command_killed_after_some_writes_is_rolled_back_under_the_next_lock(files):
    root, change = files
    before = tree(root)
    change.begin()
    (root / "data" / "a.yaml").write_text("a: 2\n", encoding="utf-8")  # one file written, then killed
    (root / "frozen" / EDITION / "index.html").write_text("v2\n", encoding="utf-8")
    (root / "frozen" / f".{EDITION}-new-x").mkdir()  # a store's temporary folder left beside it
    told = []
    with held(str(root), told.append):
        pass
    assert [m.text("en") for m in told] == [
        "the last correct was interrupted while writing: its files have been put back as they were, so it had no effect"]
    assert tree(root) == before and not (root / ".reportsite" / "journal").exists()
    with held(str(root), told.append):
        pass
    assert len(told) == 1, "recovered once"


def test_a_command_killed_after_it_was_complete_is_rolled_forward(files):
    root, change = files
    change.begin()
    (root / ".reportsite" / "journal" / journal.COMPLETE).write_text("", encoding="utf-8")  # killed here
    told = []
    with held(str(root), told.append):
        pass
    assert [m.slug for m in told] == ["journal-forward"]
    assert (root / "data" / "a.yaml").read_text(encoding="utf-8") == "a: 2\n"
    assert (root / "data" / "new.yaml").read_text(encoding="utf-8") == "new: 1\n"


def test_a_journal_being_written_or_removed_changed_nothing(files):
    root, change = files
    before = tree(root)
    (root / ".reportsite" / "journal.tmp-123").mkdir(parents=True)
    (root / ".reportsite" / "journal.done-456").mkdir()
    told = []
    with held(str(root), told.append):
        pass
    assert told == [] and tree(root) == before and os.listdir(root / ".reportsite") == ["build.lock"]


def test_a_correct_killed_during_its_build_leaves_no_bumped_version(frozen):
    """The weak case of issue 22: `correct` killed while building left the bumped version, and
    every later build stopped with [frozen]. Its journal is rolled back by the next build."""
    before = state(frozen)
    path = frozen.data / EDITION / "edition.yaml"
    change = journal.Transaction(str(frozen.root / ".reportsite"), "correct")
    change.write(str(path), path.read_text(encoding="utf-8") + "version: 2\ncorrections:\n"
                 "  - {date: 2022-03-01, text: 更正}\n")
    change.tree(str(frozen.root / "frozen" / EDITION))
    change.begin()
    change.apply()  # killed during the build that follows
    result = frozen.build("--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the last correct was interrupted while writing" in result.stdout
    assert state(frozen) == before
