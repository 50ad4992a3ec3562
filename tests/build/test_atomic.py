"""A build replaces the site only when complete: killed or failed, it leaves the previous site as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest
from conftest import ROOT, prebuilt, run_build

from reportsite.build.freeze import tree_hashes

SCORE, CHANGED = '{code: "354", score: 99}', '{code: "354", score: 99.5}'


class Inputs:
    """Copies of the project's data and content, and a site built from them at `out`."""

    def __init__(self, root, copied: bool = False):
        """The inputs in `root`, copied there from the repository unless `copied` (they are there)."""
        self.root = root
        self.data, self.content = root / "data", root / "content"
        if not copied:
            shutil.copytree(ROOT / "data", self.data)
            shutil.copytree(ROOT / "content", self.content)
        self.out = root / "public" / "site"

    def args(self, *extra: str) -> list[str]:
        return ["--data", str(self.data), "--content", str(self.content), "--config",
                str(ROOT / "mkdocs.yml"), "--out", str(self.out), *extra]

    def build(self, *extra: str) -> subprocess.CompletedProcess:
        return run_build(*self.args(*extra), cwd=self.root)

    def edit(self, old: str, new: str) -> None:
        results = self.data / "2020-2021" / "results.yaml"
        text = results.read_text(encoding="utf-8")
        assert text.count(old) == 1
        results.write_text(text.replace(old, new), encoding="utf-8")

    def leftovers(self) -> list[str]:
        """Temporary folders of builds beside the site."""
        return sorted(n for n in os.listdir(self.out.parent) if n.startswith(".site-"))


def first_build(root) -> None:
    """The inputs in `root` and the site built from them (with the PDF, into its cache)."""
    first = Inputs(root).build()
    assert first.returncode == 0, first.stdout + first.stderr


@pytest.fixture
def inputs(tmp_path) -> Inputs:
    """The inputs with their site built once (a copy of the one built first in this process)."""
    prebuilt("atomic", first_build, tmp_path)
    return Inputs(tmp_path, copied=True)


def test_a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up(inputs):
    before = tree_hashes(str(inputs.out))
    inputs.edit(SCORE, CHANGED)
    run = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *inputs.args()], cwd=inputs.root,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen = []
    for line in run.stdout:
        seen.append(line)
        if line.startswith("[1/"):
            # MkDocs is now writing the edition into the temporary folder.
            run.send_signal(signal.SIGKILL)
            break
    run.wait(timeout=60)
    run.stdout.close()
    assert run.returncode == -signal.SIGKILL, "".join(seen)
    assert tree_hashes(str(inputs.out)) == before
    assert [n for n in inputs.leftovers() if n.startswith(".site-build-")], "killed before the build began"

    again = inputs.build()
    assert again.returncode == 0, again.stdout + again.stderr
    assert inputs.leftovers() == []
    after = tree_hashes(str(inputs.out))
    assert after != before and after["2020-2021/appendix-3.html"] != before["2020-2021/appendix-3.html"]


def test_a_build_that_fails_on_bad_data_leaves_the_site(inputs):
    before = tree_hashes(str(inputs.out))
    inputs.edit(SCORE, '{code: "354", score: high}')
    run = inputs.build()
    assert run.returncode == 1
    assert "results.yaml:" in run.stdout and "error [" in run.stdout
    assert tree_hashes(str(inputs.out)) == before
    assert inputs.leftovers() == []


def test_a_build_that_fails_while_writing_leaves_the_site(inputs):
    """MkDocs fails inside the temporary folder (an unknown Markdown extension): it is removed."""
    before = tree_hashes(str(inputs.out))
    config = inputs.root / "broken.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "markdown_extensions:\n", "markdown_extensions:\n  - no_such_extension\n"), encoding="utf-8")
    run = run_build(*inputs.args("--config", str(config), "--lang", "en"), cwd=inputs.root)
    assert run.returncode == 1
    assert "error [build] MkDocs could not build edition 2020-2021" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert tree_hashes(str(inputs.out)) == before
    assert inputs.leftovers() == []


def test_a_site_moved_aside_by_a_killed_swap_is_put_back(inputs):
    """Killed between the swap's two renames, a build leaves the old site under `.site-old-*` and a
    complete new one under `.site-build-*`; the next build restores the old one before anything else,
    so even if it fails the previous site is back."""
    before = tree_hashes(str(inputs.out))
    os.rename(inputs.out, inputs.out.parent / ".site-old-x1")
    shutil.copytree(inputs.out.parent / ".site-old-x1", inputs.out.parent / ".site-build-x2")
    config = inputs.root / "broken.yml"
    config.write_text("markdown_extensions: [no_such_extension]\n", encoding="utf-8")
    run = run_build(*inputs.args("--config", str(config)), cwd=inputs.root)
    assert run.returncode == 1
    assert tree_hashes(str(inputs.out)) == before
    assert inputs.leftovers() == []
