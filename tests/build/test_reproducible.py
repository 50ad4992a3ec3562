"""Two builds of the same input are byte-identical, whatever the folder, clock, time zone or hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, projects

from reportsite.build.freeze import tree_hashes

# Runs build.py with the clock 400 days ahead: `datetime.now()` and `time.time()` (which also drives
# `date.today()` and gzip headers) both move, so a date taken from the wall clock shows as a difference.
SHIFTED_CLOCK = """
import datetime, os, runpy, sys, time
SHIFT = 400 * 86400
class Shifted(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return super().now(tz) + datetime.timedelta(seconds=SHIFT)
datetime.datetime = Shifted
_time = time.time
time.time = lambda: _time() + SHIFT
sys.argv = [sys.argv[1], *sys.argv[2:]]
sys.path.insert(0, os.path.dirname(sys.argv[0]))  # as `python build.py` would: the package beside it
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def start_build(out: str, env: dict, shifted: bool) -> subprocess.Popen:
    """`python build.py --out OUT`, optionally under the shifted clock."""
    prefix = ["-c", SHIFTED_CLOCK] if shifted else []
    return subprocess.Popen([sys.executable, *prefix, str(ROOT / "build.py"), "--out", out], cwd=projects(),
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_builds_are_byte_identical(tmp_path):
    base = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    first, second = str(tmp_path / "one" / "site"), str(tmp_path / "another-folder" / "out")
    # One after the other: the project's lock lets one build at a time (the second would be refused).
    for out, env, shifted in ((first, {**base, "TZ": "UTC", "PYTHONHASHSEED": "0"}, False),
                              (second, {**base, "TZ": "Asia/Shanghai", "PYTHONHASHSEED": "4242"}, True)):
        run = start_build(out, env, shifted)
        output = run.communicate(timeout=300)[0]
        assert run.returncode == 0, output
    one, other = tree_hashes(first), tree_hashes(second)
    assert sorted(one) == sorted(other)
    assert [path for path in one if one[path] != other[path]] == []
    assert len(one) > 100, "the comparison covered the whole site"


def test_the_shifted_clock_does_shift_the_clock(tmp_path):
    """Guards the test above: the wrapper really moves the dates a build could read."""
    script = tmp_path / "now.py"
    script.write_text("import datetime, time\n"
                      "print(datetime.date.today().toordinal(), datetime.datetime.now().toordinal(), "
                      "datetime.date.fromtimestamp(time.time()).toordinal())\n")
    plain = subprocess.run([sys.executable, str(script)], capture_output=True, text=True).stdout.split()
    shifted = subprocess.run([sys.executable, "-c", SHIFTED_CLOCK, str(script)], capture_output=True,
                             text=True).stdout.split()
    assert len(shifted) == len(plain) == 3
    assert all(399 <= int(s) - int(p) <= 401 for s, p in zip(shifted, plain)), (plain, shifted)
