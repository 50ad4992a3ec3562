"""Kill `import`, `correct` and `freeze` at random points and check that nothing is left between.

    python bench/kills.py [--kills 50] [--seed 22]

Each command runs as a user runs it (`python build.py ...`, a fresh process, one job, no PDF) on a
fresh copy of the shipped data and content (for `correct`, frozen first), and is killed with
SIGKILL at a random moment of its run (uniform over its measured duration). The next command
(`python build.py build`) then runs, as a user's next command would: it takes the project's lock
and finishes or undoes what the killed one left (`reportsite/build/journal.py`). The sha256 of every
file of `data/`, `content/` and `frozen/` must then equal the state before the command or the state
after it, every time. A run whose command finished before the kill is not counted as a kill.

Prints one line per kill and a summary table; exits 1 if any state was neither. Not part of
`make test` (it takes minutes); issue 22's "Must show".
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out", "kills")
EDITION = "2020-2021"
HASHED = ("data", "content", "frozen")
COMMON = ["--lang", "en"]
BUILD = ["--jobs", "1", "--no-pdf"]


def run(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, os.path.join(ROOT, "build.py"), *args, *COMMON], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def state(root: str) -> str:
    """One sha256 over every file (path and content) of data/, content/ and frozen/."""
    digest = hashlib.sha256()
    for top in HASHED:
        for parent, dirs, names in sorted(os.walk(os.path.join(root, top))):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(parent, name)
                digest.update(os.path.relpath(path, root).encode("utf-8", "surrogateescape") + b"\0")
                with open(path, "rb") as f:
                    digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


def workbook(root: str) -> str:
    """The shipped edition's filled template with scores changed and a new alliance added, so an
    import with --update-registry writes four files (results, experts, edition, registry)."""
    import openpyxl

    assert run(["template", EDITION, "book.xlsx"], root).returncode == 0
    path = os.path.join(root, "book.xlsx")
    book = openpyxl.load_workbook(path)
    results = book["评价结果"]
    for row in range(2, 12):
        score = results.cell(row=row, column=4).value
        if isinstance(score, (int, float)):
            results.cell(row=row, column=4).value = max(0, score - 1)
    last = results.max_row + 1
    for col, value in enumerate((last - 1, "D199", "测试新联盟产业技术创新战略联盟", 60, None), start=1):
        results.cell(row=last, column=col).value = value
    book["专家组"]["A2"].value = "李新男（顾问）"
    book.save(path)
    return path


def prepared(name: str) -> str:
    """A project in the state each command starts from: the shipped data and content, a workbook
    to import, and for `correct` the edition frozen."""
    root = os.path.join(OUT, "base", name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    for part in ("data", "content"):
        shutil.copytree(os.path.join(ROOT, part), os.path.join(root, part))
    shutil.copy(os.path.join(ROOT, "mkdocs.yml"), os.path.join(root, "mkdocs.yml"))
    if name == "import":
        workbook(root)
    if name == "correct":
        done = run(["freeze", EDITION, *BUILD], root)
        assert done.returncode == 0, done.stdout + done.stderr
    return root


COMMANDS = {
    "import": ["import", EDITION, "book.xlsx", "--update-registry"],
    "freeze": ["freeze", EDITION, *BUILD],
    "correct": ["correct", EDITION, "--note", "附件 3 中一处得分更正", "--date", "2022-03-01", *BUILD],
}


def fresh(base: str, where: str) -> str:
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(base, where, symlinks=True)
    return where


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=50, help="kills to make, spread over the three commands")
    ap.add_argument("--seed", type=int, default=22)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    bases = {name: prepared(name) for name in COMMANDS}
    before, after, took = {}, {}, {}
    for name, base in bases.items():
        before[name] = state(base)
        times = []
        for _ in range(2):  # the second run is timed: the first also compiles the tool's modules
            where = fresh(base, os.path.join(OUT, "whole"))
            started = time.perf_counter()
            done = run(COMMANDS[name], where)
            times.append(time.perf_counter() - started)
            assert done.returncode == 0, done.stdout + done.stderr
        took[name] = times[-1]
        after[name] = state(where)
        assert after[name] != before[name], f"{name} changed nothing"
        print(f"{name}: runs {took[name]:.1f} s uninterrupted; before {before[name][:12]}, after {after[name][:12]}",
              flush=True)
    tally = {name: {"before": 0, "after": 0, "neither": 0, "recovered-forward": 0, "recovered-back": 0}
             for name in COMMANDS}
    kills = attempts = 0
    names = list(COMMANDS)
    while kills < args.kills:
        # The command killed least so far (a short one often finishes before its kill).
        name = min(names, key=lambda n: sum(tally[n][k] for k in ("before", "after", "neither")))
        attempts += 1
        where = fresh(bases[name], os.path.join(OUT, "run"))
        at = rng.uniform(0.0, took[name] * 1.05)
        process = subprocess.Popen([sys.executable, os.path.join(ROOT, "build.py"), *COMMANDS[name], *COMMON],
                                   cwd=where, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(at)
        if process.poll() is not None:
            continue  # it finished first: not a kill
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        kills += 1
        following = run(["build", *BUILD], where)
        said = following.stdout + following.stderr
        found = state(where)
        verdict = "before" if found == before[name] else "after" if found == after[name] else "neither"
        tally[name][verdict] += 1
        recovery = "forward" if "journal's changes have been completed" in said else \
            "back" if "put back as they were" in said else "-"
        if recovery != "-":
            tally[name][f"recovered-{recovery}"] += 1
        print(f"kill {kills:3d}: {name:8s} at {at:5.2f} s -> next build exit {following.returncode}, "
              f"journal {recovery:7s}, state {verdict}", flush=True)
    print()
    print("| command | kills | state before | state after | neither | rolled back | rolled forward |")
    print("|---|---|---|---|---|---|---|")
    for name, t in tally.items():
        print(f"| {name} | {t['before'] + t['after'] + t['neither']} | {t['before']} | {t['after']} | "
              f"{t['neither']} | {t['recovered-back']} | {t['recovered-forward']} |")
    bad = sum(t["neither"] for t in tally.values())
    print(f"\n{kills} kills in {attempts} runs; {bad} left data/, content/ or frozen/ between before and after")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
