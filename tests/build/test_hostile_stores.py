"""Stores hold only what they list (issue 22): a frozen edition's stored pages are files and folders
its MANIFEST.json lists, nothing else; a symbolic link is an error, never followed into the site
or the upload zip; an entry the manifest does not list is an error; a named pipe is never opened.

Each case asserts the exact outcome (slug and location), no traceback, that nothing outside the
store's own folder was published, and that the previous site is intact.
"""

from __future__ import annotations

import os
import shutil

import pytest
from hostile import HostileProject, digest, failed_with, run

EDITION = "2020-2021"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> HostileProject:
    """A project whose edition is frozen, its pages stored in frozen/2020-2021/ and built into site/."""
    project = HostileProject(tmp_path_factory.mktemp("project"))
    result = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    result = run("freeze", EDITION, "--jobs", "1", "--no-pdf", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture
def store(frozen, tmp_path):
    """The frozen project, its store restored after the case; the site must be left as it was."""
    folder = frozen.root / "frozen" / EDITION
    kept = tmp_path / "kept"
    shutil.copytree(folder, kept, symlinks=True)
    site = digest(frozen.site)
    yield frozen
    assert digest(frozen.site) == site, "the previous site changed"
    shutil.rmtree(folder)
    shutil.copytree(kept, folder, symlinks=True)


@pytest.fixture
def outside(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.html").write_text("SECRET-TEXT\n", encoding="utf-8")
    return folder


def test_a_symlinked_folder_in_a_store_is_an_error_and_never_copied(store, outside):
    (store.root / "frozen" / EDITION / "leak").symlink_to(outside, target_is_directory=True)
    line = failed_with(store.build("--lang", "en"), "frozen", f"frozen/{EDITION}/leak")
    assert "is a symbolic link" in line


def test_a_symlinked_file_in_a_store_is_an_error(store, outside):
    (store.root / "frozen" / EDITION / "assets" / "leak.html").symlink_to(outside / "secret.html")
    failed_with(store.build(), "frozen", f"frozen/{EDITION}/assets/leak.html")


def test_a_dangling_link_in_a_store_is_an_error(store):
    (store.root / "frozen" / EDITION / "gone.html").symlink_to("/nonexistent/gone.html")
    failed_with(store.build(), "frozen", f"frozen/{EDITION}/gone.html")


def test_a_named_pipe_in_a_store_is_refused_unopened(store):
    os.mkfifo(store.root / "frozen" / EDITION / "pipe.html")
    line = failed_with(store.build("--lang", "en", timeout=60), "frozen", f"frozen/{EDITION}/pipe.html")
    assert "not a plain file" in line


@pytest.mark.parametrize("entry", ["extra.html", "assets/extra.js", "newdir/"], ids=["file", "nested-file", "empty-folder"])
def test_an_entry_the_manifest_does_not_list_is_an_error(store, entry):
    path = store.root / "frozen" / EDITION / entry
    if entry.endswith("/"):
        path.mkdir()
    else:
        path.write_text("x\n", encoding="utf-8")
    line = failed_with(store.build("--lang", "en"), "frozen", f"frozen/{EDITION}")
    assert entry in line and "do not match their checksums" in line
