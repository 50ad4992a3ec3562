"""The bench's own machinery, untimed: synthetic archives are valid and repeatable, a run's process
tree is measured whole, and the results table judges each target from the numbers it is given.
(The speeds themselves are measured by `python bench/run.py`, never asserted here.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from reportsite.build.freeze import tree_hashes
from reportsite.read.check import check_archive

sys.path.insert(0, str(ROOT / "bench"))
import report  # noqa: E402
import synth  # noqa: E402


@pytest.fixture
def seed_text() -> str:
    """Filler sentences for `synth.py`: the shipped narrative, as the bench uses it."""
    return synth.SEED_TEXT


def test_the_filler_comes_from_the_repository_s_own_narrative():
    sentences = synth.filler_sentences(synth.SEED_TEXT)
    assert len(sentences) >= 30
    assert all("{" not in s and "#" not in s for s in sentences)
    assert os.path.commonpath([synth.SEED_TEXT, str(ROOT)]) == str(ROOT)


def test_a_synthetic_archive_passes_the_checks_and_is_the_same_every_time(tmp_path, seed_text):
    ids = synth.write_archive(str(tmp_path / "a"), editions=2, alliances=40, seed_text=seed_text)
    again = synth.write_archive(str(tmp_path / "b"), editions=2, alliances=40, seed_text=seed_text)
    assert ids == again == ["2022-2023", "2024-2025"]
    assert tree_hashes(str(tmp_path / "a")) == tree_hashes(str(tmp_path / "b"))
    archive, problems = check_archive(str(tmp_path / "a" / "data"), strict=True)
    assert archive is not None and [p.render() for p in problems] == []
    assert [e.id for e in archive.editions] == ids and len(archive.alliances) == 40
    content = (tmp_path / "a" / "content" / "2024-2025")
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(content.iterdir()))
    assert len(list(content.iterdir())) == 8 and text.count("{{ chart(kind=") == 11


def test_a_synthetic_archive_with_indicator_scores_passes_the_checks(tmp_path, seed_text):
    synth.write_archive(str(tmp_path / "a"), editions=2, alliances=40, seed_text=seed_text)
    synth.write_archive(str(tmp_path / "b"), editions=2, alliances=40, seed_text=seed_text, indicator_scores="alliance")
    archive, problems = check_archive(str(tmp_path / "b" / "data"), strict=True)
    assert archive is not None and [p.render() for p in problems] == []
    for e in archive.editions:
        assert e.indicators_publish == "alliance" and e.indicators[0].max == 20
        assert {s.code for s in e.scores} == {r.code for r in e.evaluated if r.score is not None}
    # Everything else is the archive without them.
    plain = check_archive(str(tmp_path / "a" / "data"))[0]
    def results(archive):
        return [[(r.code, r.score, r.tier) for r in e.evaluated] for e in archive.editions]

    assert results(plain) == results(archive)


def test_a_timed_run_counts_every_process_of_its_tree(tmp_path):
    # Both run together for 2 s, so the 0.1 s sampler sees them at once even on a loaded machine.
    child = "import time; block = bytearray(80 * 2**20); time.sleep(2.0)"
    parent = (f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', {child!r}]); "
              "time.sleep(0.2); p.wait()")
    # Timed from a small process of its own: a child forked from this test process (pytest with
    # a browser driver loaded, a few hundred MB) would report that size as its peak before exec.
    probe = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import run; "
             f"print(json.dumps(run.timed([sys.executable, '-c', {parent!r}], {str(tmp_path)!r}, "
             f"{str(tmp_path / 'log')!r}, timeout=30)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    seconds, cpu, rss, total, status = json.loads(done.stdout)
    assert status == 0 and seconds >= 2.0 and cpu > 0
    assert rss >= 80 * 1024, "wait4 reports the child's peak"
    assert total >= rss + 5 * 1024, "the parent's memory is added while both run"


def timing(seconds: float, processes: int | None = None) -> dict:
    out = {"seconds": [seconds] * 5, "cpu": [seconds] * 5, "rss_kib": [1024], "tree_rss_kib": [2048],
           "note": "", "error": "", "pages": 100}
    if processes:
        out["processes"] = processes
    return out


def site(label: str, editions: int | None, ours: float, one: float, whole: float, hand: float) -> dict:
    found = {"label": label, "stock_pages": 100,
             "builds": {"ours": timing(ours, 2 if editions and editions > 1 else 1), "ours-1": timing(one),
                        "stock-whole": timing(whole), "stock-report": timing(hand)}}
    if editions:
        found["editions"] = editions
    return found


def test_the_table_judges_each_build_target_from_its_numbers():
    sites = {"default": site("default site", None, 1.0, 1.0, 3.0, 2.0),
             "e1": site("1 edition", 1, 2.0, 2.0, 4.0, 3.0),
             "e5": site("5 editions", 5, 4.0, 6.0, 60.0, 10.0),
             "e20": site("20 editions", 20, 8.0, 16.0, 1000.0, 90.0)}
    lines, targets = report.builds_section(sites, {"runs": 5, "slow": 60})
    judged = {name: (ok, detail) for name, ok, detail in targets}
    assert judged["default site: ours ÷ stock, hand-written nav (report pages) ≤ 1.0"] == (True, "1.00 s ÷ 2.00 s = 0.50 (CPU 0.50)")
    assert judged["20-edition archive: ours < 60 s"] == (True, "8.0 s")
    assert judged["20-edition archive: stock, hand-written nav (report pages) ÷ ours ≥ 10"] == (
        True, "90.0 s ÷ 8.0 s = 11.2× (2 processes)")
    assert judged["20-edition archive: stock, hand-written nav (report pages) ÷ ours in one process (for reference)"] == (
        None, "90.0 s ÷ 16.0 s = 5.6×")
    assert judged["ours: build time linear in editions"] == (True, "0.50 → 0.27 CPU s per edition (0.53×)")
    row = next(line for line in lines if line.startswith("| 20 editions |"))
    assert "| 8.00 s [8.00–8.00] | 2 | 16.00 s [16.00–16.00] |" in row, "ours, its processes, ours in one"
    assert not any(line.startswith("**Cold beside warm.**") for line in lines), "no cold run, no cold table"
    sites["e20"]["builds"]["ours-cold"] = {"seconds": [95.5], "cpu": [150.25]}
    lines, _ = report.builds_section(sites, {"runs": 5, "slow": 60})
    assert "| 20 editions | 95.5 s / 150.2 s | 8.0 s / 8.0 s |" in lines

    sites["e20"] = site("20 editions", 20, 12.0, 16.0, 1000.0, 90.0)
    _, targets = report.builds_section(sites, {"runs": 5, "slow": 60})
    judged = {name: ok for name, ok, _ in targets}
    assert judged["20-edition archive: stock, hand-written nav (report pages) ÷ ours ≥ 10"] is False
    assert "**FAIL**" == report.verdict(False)


def test_the_memory_table_shows_one_process_and_the_whole_tree():
    lines = report.memory_section({"e20": site("20 editions", 20, 8.0, 16.0, 1000.0, 90.0)})
    assert lines[-2] == ("| 20 editions | 1 MiB / 2 MiB total | 1 MiB / 2 MiB total | 1 MiB / 2 MiB total | "
                         "1 MiB / 2 MiB total |")
