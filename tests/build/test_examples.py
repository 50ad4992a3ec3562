"""The demo archive under `examples/archive/`: the real 2020-2021 edition and two synthetic ones.

The synthetic editions (2016-2017, 2018-2019) are 示例数据 written by `examples/make_archive.py`;
the 2020-2021 files are copies of the shipped ones and must never drift from them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from reportsite.read.check import check_archive

EXAMPLE = ROOT / "examples" / "archive"
SCRIPT = ROOT / "examples" / "make_archive.py"
REAL = "2020-2021"
SYNTHETIC = ("2016-2017", "2018-2019")
SYNTHETIC_CODES = {"155", "240", "356", "D107"}


def files(folder: Path) -> list[str]:
    """The files under `folder`, but for the tool's own git-ignored folder (a build's lock and
    cache, left by any test that builds the example archive)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and ".reportsite" not in p.relative_to(folder).parts)


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def named(edition: str) -> set[str]:
    results = load(EXAMPLE / "data" / edition / "results.yaml")
    return {str(r["code"]) for r in results["evaluated"]} | {str(c) for c in results["incomplete"]}


@pytest.fixture(scope="module")
def archive():
    found, problems = check_archive(str(EXAMPLE / "data"), strict=True)
    assert found is not None, [p.render() for p in problems]
    return found


@pytest.mark.parametrize("kind", ["data", "content"])
def test_real_edition_is_copied_byte_for_byte(kind):
    real, copy = ROOT / kind / REAL, EXAMPLE / kind / REAL
    assert files(copy) == files(real)
    for name in files(real):
        assert (copy / name).read_bytes() == (real / name).read_bytes(), f"{kind}/{REAL}/{name} drifted"


def test_registry_is_the_real_one_plus_synthetic_alliances():
    real_text = (ROOT / "data" / "alliances.yaml").read_text(encoding="utf-8")
    demo_text = (EXAMPLE / "data" / "alliances.yaml").read_text(encoding="utf-8")
    real_lines = [line for line in real_text.splitlines() if line.startswith("- ")]
    demo_lines = [line for line in demo_text.splitlines() if line.startswith("- ")]
    assert [line for line in demo_lines if line in real_lines] == real_lines  # unchanged, same order
    real, demo = load(ROOT / "data" / "alliances.yaml"), load(EXAMPLE / "data" / "alliances.yaml")
    extra = {str(a["code"]): a["name"] for a in demo}.items() - {str(a["code"]): a["name"] for a in real}.items()
    assert {code for code, _ in extra} == SYNTHETIC_CODES
    assert all(name.startswith("示例") for _, name in extra)
    # Synthetic alliances live only in the synthetic editions.
    assert not named(REAL) & SYNTHETIC_CODES
    assert SYNTHETIC_CODES <= named(SYNTHETIC[0]) | named(SYNTHETIC[1])


@pytest.mark.parametrize("edition", SYNTHETIC)
def test_synthetic_editions_say_they_are_demo_data(edition, archive):
    raw = load(EXAMPLE / "data" / edition / "edition.yaml")
    assert raw["demo"] is True
    assert raw["title"] == f"{edition} 年度产业技术创新战略联盟活跃度评价报告（示例数据）"
    assert "a_level" not in raw
    assert archive.edition(edition).demo is True
    for page in ("01-overview.md", "02-indicators.md"):
        assert "示例数据" in (EXAMPLE / "content" / edition / page).read_text(encoding="utf-8")
    assert not (EXAMPLE / "data" / edition / "experts.yaml").exists()
    # Synthetic indicator scores, adding up to the synthetic totals (the check would say otherwise).
    assert len(archive.edition(edition).scores) == sum(r.score is not None for r in archive.edition(edition).evaluated)


def test_real_edition_is_not_demo(archive):
    assert archive.edition(REAL).demo is False


def test_check_strict_passes_on_three_editions(archive):
    assert [e.id for e in archive.editions] == [*SYNTHETIC, REAL]
    # The only findings are the real edition's acknowledged ones; the demo adds none.
    assert all(f"/{REAL}/" in p.loc.path for p in archive.notes), [p.render() for p in archive.notes]


def test_check_command_strict_exits_0():
    done = subprocess.run([sys.executable, "build.py", "check", "--data", "examples/archive/data",
                           "--strict", "--lang", "en"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("0 errors, 0 warnings")
    for edition in (*SYNTHETIC, REAL):
        assert f"{edition}: " in summary


def test_make_archive_reproduces_the_committed_files(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert files(tmp_path) == files(EXAMPLE)
    for name in files(EXAMPLE):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), f"{name} differs"


def test_rerun_removes_stale_files_in_owned_folders(tmp_path):
    run = [sys.executable, str(SCRIPT), "--out", str(tmp_path)]
    subprocess.run(run, check=True, capture_output=True)
    stale = tmp_path / "content" / REAL / "99-gone.md"
    stale.write_text("# 旧文件\n", encoding="utf-8")
    subprocess.run(run, check=True, capture_output=True)
    assert not stale.exists()
    assert files(tmp_path) == files(EXAMPLE)


def test_a_level_list_matches_the_archive_history(archive):
    a_level = set(archive.edition(REAL).a_level.codes)
    top = {e.id: {r.code for r in e.evaluated if r.tier == e.tiers[0].key} for e in archive.editions}
    for edition in SYNTHETIC:
        assert a_level <= top[edition], edition
    assert set.intersection(*top.values()) == a_level


def test_the_demo_exercises_cross_edition_features(archive):
    """New and departed alliances, moves both ways in tier order, large changes, changed bands."""
    editions = list(archive.editions)
    assert [t.key for t in editions[0].tiers][-1] != [t.key for t in editions[1].tiers][-1]
    assert [t.min for t in editions[0].tiers] != [t.min for t in editions[1].tiers]
    assert [(t.key, t.min) for t in editions[1].tiers] == [(t.key, t.min) for t in editions[2].tiers]
    for before, after in zip(editions, editions[1:]):
        old, new = ({r.code: r for r in e.evaluated} for e in (before, after))
        assert set(new) - set(old) and set(old) - set(new), (before.id, after.id)
        order = {e.id: {t.key: i for i, t in enumerate(e.tiers)} for e in (before, after)}
        moves = [order[after.id][new[c].tier] - order[before.id][old[c].tier] for c in set(old) & set(new)]
        assert any(m < 0 for m in moves) and any(m > 0 for m in moves), (before.id, after.id)
        deltas = [new[c].score - old[c].score for c in set(old) & set(new)
                  if new[c].score is not None and old[c].score is not None]
        assert max(abs(d) for d in deltas) >= 15, (before.id, after.id)
    for edition in SYNTHETIC:
        e = archive.edition(edition)
        assert 30 <= len(e.evaluated) <= 40 and len(e.incomplete) == 5
        assert any(r.score is None for r in e.evaluated)  # tier-only rows
        assert all(r.score is None or float(r.score).is_integer() for r in e.evaluated)


@pytest.mark.parametrize("edition", SYNTHETIC)
def test_synthetic_overview_renders(edition, archive):
    from reportsite.render.pages import edition_pages

    e = archive.edition(edition)
    pages = edition_pages(archive, e, str(EXAMPLE / "content" / edition))
    page = next(p for p in pages.pages if p.name == "overview.md")
    assert page.title == f"{edition} 年度概览（示例数据）"
    high = sum(1 for r in e.evaluated if r.tier == "high")
    assert f"共有 {len(e.evaluated)} 家联盟参评" in page.markdown
    assert f"的联盟 {high} 家" in page.markdown
    assert "{{" not in page.markdown
