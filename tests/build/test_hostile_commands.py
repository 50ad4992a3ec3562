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
