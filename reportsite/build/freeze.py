"""Frozen editions: their published pages are stored in the repository (outside `site/`) with
checksums, and a build that would change them stops unless the edition is deliberately
re-published with a bumped version and a dated correction.

A build copies the stored pages while what the people wrote for the edition is unchanged
(`sources_fingerprint()`: its data and narrative files, its alliances' names), or what a reader reads
in it is (`inputs_fingerprint()` of its pages' text); otherwise it builds the edition again and
compares. So a change of the tool (a footer, reading aids, a feed link, a reworded generated
sentence) reaches the frozen edition only through the root files its pages load, and never marks
it as corrected or stops the build.

Storing is atomic: the new pages are written to a temporary folder beside `frozen/EDITION/` and
swapped in by two renames, so a build killed while storing leaves the previous pages whole; the
next build puts them back if the kill came between the renames (`recover()`)."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import tempfile
from contextlib import suppress
from dataclasses import dataclass

from reportsite.model import files as disk
from reportsite.model.errors import BuildError, FrozenError, from_os_error, relative
from reportsite.model.messages import Message, message
from reportsite.model.records import Archive, Edition, quote

MANIFEST = "MANIFEST.json"


def tree_hashes(folder: str, edition_id: str = "") -> dict[str, str]:
    """sha256 of every file below `folder`, by relative path with `/` separators. A store holds
    only files and folders: a symbolic link (which a copy would follow out of the store) or any
    other kind of entry (a named pipe would hang the read) is a `FrozenError`, never opened."""
    out = {}
    folders = [folder]
    while folders:
        parent = folders.pop()
        with os.scandir(parent) as entries:
            found = sorted(entries, key=lambda e: e.name)
        for entry in found:
            rel = os.path.relpath(entry.path, folder).replace(os.sep, "/")
            if entry.is_symlink() or not (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)):
                kind = "frozen/link" if entry.is_symlink() else "frozen/special"
                raise FrozenError.of(kind, relative(entry.path), edition=edition_id, path=quote(rel))
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif rel != MANIFEST:
                with open(entry.path, "rb") as f:
                    out[rel] = hashlib.sha256(f.read()).hexdigest()
    return dict(sorted(out.items()))


def unlisted_folders(folder: str, listed: dict[str, str]) -> list[str]:
    """Folders below `folder` that hold no file the manifest lists (an empty folder added by hand)."""
    holding = {posixpath.dirname(p) for p in listed}
    holding |= {d for p in list(holding) for d in _parents(p)}
    out = []
    for parent, dirs, _ in os.walk(folder):
        for name in dirs:
            rel = os.path.relpath(os.path.join(parent, name), folder).replace(os.sep, "/")
            if rel not in holding:
                out.append(rel + "/")
    return sorted(out)


def _parents(path: str) -> list[str]:
    out = []
    while path:
        path = posixpath.dirname(path)
        out.append(path)
    return out


def recover(frozen_root: str, edition_id: str) -> None:
    """Undo what a store killed midway left: put back pages moved aside before the new ones
    arrived, and remove unfinished copies."""
    if not os.path.isdir(frozen_root):
        return
    folder = os.path.join(frozen_root, edition_id)
    for name in sorted(os.listdir(frozen_root)):
        path = os.path.join(frozen_root, name)
        if name.startswith(f".{edition_id}-old-") and not os.path.exists(folder):
            os.rename(path, folder)
        elif name.startswith((f".{edition_id}-new-", f".{edition_id}-old-")):
            shutil.rmtree(path)


def valid_manifest(manifest, edition_id: str, path: str) -> dict:
    """The stored manifest if it has the shape `store()` writes; else `FrozenError` naming the
    field that is missing or wrong."""
    if not isinstance(manifest, dict):
        raise FrozenError.of("frozen-manifest-json", relative(path), edition=edition_id,
                             detail=f"a JSON {type(manifest).__name__}, not an object")
    files = manifest.get("files")
    checks = {
        "files": isinstance(files, dict) and all(
            isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v)
            for k, v in files.items()),
        "version": type(manifest.get("version")) is int and manifest["version"] >= 1,
        "inputs": isinstance(manifest.get("inputs", ""), str),
        "sources": isinstance(manifest.get("sources", ""), str),
        "edition": manifest.get("edition", edition_id) == edition_id,
    }
    for field, ok in checks.items():
        if not ok:
            raise FrozenError.of("frozen-manifest-field", relative(path), edition=edition_id, field=field)
    return manifest


def read_stored(frozen_root: str, edition_id: str) -> dict | None:
    """The stored manifest of a frozen edition, its files verified; None when not stored yet
    (no folder, or an empty one)."""
    recover(frozen_root, edition_id)
    folder = os.path.join(frozen_root, edition_id)
    path = os.path.join(folder, MANIFEST)
    if not os.path.isdir(folder) or not os.listdir(folder):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except json.JSONDecodeError as exc:
        raise FrozenError.of("frozen-manifest-json", f"{relative(path)}:{exc.lineno}:{exc.colno}",
                             edition=edition_id, detail=exc.msg) from exc
    except (OSError, ValueError) as exc:
        raise FrozenError.of("frozen/manifest-unreadable", relative(folder), edition=edition_id,
                             manifest=MANIFEST, reason=str(exc)) from exc
    manifest = valid_manifest(manifest, edition_id, path)
    found = tree_hashes(folder, edition_id)
    changed = differences(found, manifest["files"]) + unlisted_folders(folder, manifest["files"])
    if changed:
        raise FrozenError.of("frozen/tampered", relative(folder), edition=edition_id, files=shortened(changed))
    return manifest


WORDED_BEFORE_SOURCES: tuple[tuple[str, re.Pattern, str], ...] = (
    ("appendix-4.html", re.compile(r"本届未评定 A 级联盟。"), "本年度未评定 A 级活跃度联盟。"),
    ("appendix-4.html", re.compile(r"；d 字母开头的是协发网网员联盟"), "；D 字母开头的是协发网网员联盟"),
    ("index.html", re.compile(r"得分在 (\S+?)(?: 和 \S+?)+ 分的联盟最多，各 (\d+) 家"), r"得分在 \1 分的联盟最多，有 \2 家"),
    ("errata.html", re.compile(r"；本网站首页“联盟参与评价的情况”图中"), "；“联盟参与评价的情况”图中"),
    ("not-evaluated.html", re.compile(r"；本网站首页“联盟参与评价的情况”图中"), "；“联盟参与评价的情况”图中"),
)
"""The generated words that changed since the tool recorded `sources` in a manifest, each by the
page it is on, as the tool writes it now and as it wrote it before: an edition frozen before (its
manifest without `sources`) is recognised by its reader text read back in the old words. Such a
manifest gains `sources` at the first build that copies it (`add_sources()`), so this table never
grows."""
NEW_LIST = re.compile(r"本年度新出现的联盟 \d+ 家：[^。]*。")
CODE_AFTER_NAME = re.compile(r"(?<=联盟)（D?\d{3}）(?=[、。])")


def worded_before_sources(reader_text: str) -> str:
    """`reader_text` (a JSON line per page, its address first) in the generated words of the tool
    before manifests recorded `sources`: the changes page's list of new alliances without their
    codes, and `WORDED_BEFORE_SOURCES`."""
    lines = reader_text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith('["changes.html"'):
            line = NEW_LIST.sub(lambda m: CODE_AFTER_NAME.sub("", m.group(0)), line)
        for page, now, before in WORDED_BEFORE_SOURCES:
            if line.startswith(f'["{page}"'):
                line = now.sub(before, line)
        lines[i] = line
    return "\n".join(lines)


def inputs_fingerprint(reader_text: str) -> str:
    """sha256 of what a reader reads in an edition (`search.reader_text()`): while it holds, the
    stored pages are copied as they are and gain only what root files deliver, so a site-wide
    change of theme, footer or assets never marks a frozen edition as corrected."""
    return hashlib.sha256(reader_text.encode("utf-8")).hexdigest()


def sources_fingerprint(archive: Archive, edition: Edition, content_dir: str) -> str:
    """sha256 of what the people wrote for an edition: every file of its data and narrative
    folders, and the registry's names of the alliances it lists as it printed them. When the pages
    change and this has not, the tool changed, not the report."""
    digest = hashlib.sha256()
    for folder in (os.path.dirname(edition.loc.path), content_dir):
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    digest.update(f"{name}\0".encode() + hashlib.sha256(f.read()).digest())
    then = archive.as_of(edition.id)
    for code in sorted({*(r.code for r in edition.evaluated), *edition.incomplete}):
        a = then.alliance(code)
        digest.update(f"{code}\0{a.name}\0{'|'.join(a.aliases)}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Copied:
    """Stored pages copied into a build."""

    files: int
    """How many files were copied."""
    reworded: bool
    """Whether the tool now words the pages otherwise (their reader text differs) while what the
    people wrote did not change: said in the progress line, never a stop and never a correction."""


def copy_if_unchanged(edition: Edition, reader_text: str, sources: str, frozen_root: str,
                      target: str) -> Copied | None:
    """Copy the stored pages to `target` when they were made from the same sources or hold the
    same reader text; None when the edition must be built (and compared). A manifest stored before
    `sources` was recorded is matched by its reader text in the words of that time, and gains
    `sources` (`add_sources()`)."""
    manifest = read_stored(frozen_root, edition.id)
    if manifest is None:
        return None
    recorded = manifest.get("sources", "")
    same_text = manifest.get("inputs") in (inputs_fingerprint(reader_text),
                                           inputs_fingerprint(worded_before_sources(reader_text)))
    if not same_text and not (recorded and recorded == sources):
        return None
    shutil.copytree(os.path.join(frozen_root, edition.id), target, symlinks=True,
                    ignore=shutil.ignore_patterns(MANIFEST))
    if not recorded and sources:
        add_sources(frozen_root, edition.id, manifest, sources)
    return Copied(len(manifest["files"]), reworded=not same_text)


def add_sources(frozen_root: str, edition_id: str, manifest: dict, sources: str) -> None:
    """Record `sources` in a manifest stored without it (its pages and their checksums
    untouched), so later changes of the tool's words never need `WORDED_BEFORE_SOURCES`."""
    path = os.path.join(frozen_root, edition_id, MANIFEST)
    record = {**manifest, "sources": sources}
    try:
        disk.write(path, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    except OSError as exc:
        raise from_os_error(exc, path) from exc


def differences(built: dict[str, str], stored: dict[str, str]) -> list[str]:
    """Files that differ, were added or were removed, sorted."""
    return sorted(p for p in set(built) | set(stored) if built.get(p) != stored.get(p))


def shortened(paths: list[str], shown: int = 5) -> Message | str:
    """`a.html, b.html and 3 more`."""
    head = ", ".join(paths[:shown])
    return message("list-more", head=head, more=len(paths) - shown) if len(paths) > shown else head


def check_republish(edition: Edition, manifest: dict) -> None:
    """A re-publication must bump the version and carry a dated correction."""
    if edition.version <= manifest["version"]:
        raise FrozenError.of("frozen/republish-version", edition.loc.path, edition=edition.id,
                             version=manifest["version"])
    if not edition.corrections:
        raise FrozenError.of("frozen/republish-correction", edition.loc.path, edition=edition.id)


def check_requested(archive: Archive, republish: tuple[str, ...], data_dir: str) -> None:
    """Each edition asked to be re-published must be a frozen edition of the archive."""
    known = {e.id: e for e in archive.editions}
    for wanted in republish:
        if wanted not in known:
            raise BuildError.of("republish-unknown", relative(data_dir), edition=quote(wanted),
                                known=", ".join(known))
        if not known[wanted].frozen:
            raise BuildError.of("republish-not-frozen", relative(known[wanted].loc.path), edition=wanted)


def guard(edition: Edition, built_dir: str, frozen_root: str, republish: bool) -> bool:
    """Compare a frozen edition's fresh build with its stored pages (built because what made
    them changed: `copy_if_unchanged()` copies them otherwise).

    Returns True when the build must be stored (first publication or re-publication); raises
    `FrozenError` when the build would change published pages without `republish`: a change of
    the edition's data or narrative, to be published with `correct`.
    """
    manifest = read_stored(frozen_root, edition.id)
    if manifest is None:
        return True
    changed = differences(tree_hashes(built_dir), manifest["files"])
    if not changed:
        return False
    if not republish:
        raise FrozenError.of("frozen/changed", edition.loc.path, edition=edition.id, count=len(changed),
                             files=shortened(changed))
    check_republish(edition, manifest)
    return True


def store(built_dir: str, frozen_root: str, edition: Edition, inputs: str, sources: str = "") -> int:
    """Replace the stored pages of `edition` with `built_dir`, recording the fingerprints of what
    made them (what a reader reads, what the people wrote); the number of files stored. Atomic: a copy is completed beside the stored pages,
    then swapped in by two renames."""
    folder = os.path.join(frozen_root, edition.id)
    try:
        os.makedirs(frozen_root, exist_ok=True)
        recover(frozen_root, edition.id)
        new = tempfile.mkdtemp(prefix=f".{edition.id}-new-", dir=frozen_root)
        shutil.copytree(built_dir, new, symlinks=True, dirs_exist_ok=True)
        hashes = tree_hashes(new)
        record = {"edition": edition.id, "version": edition.version, "inputs": inputs, "files": hashes}
        if sources:
            record["sources"] = sources
        disk.write(os.path.join(new, MANIFEST), json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        os.chmod(new, 0o755)
        old = None
        if os.path.exists(folder):
            old = tempfile.mkdtemp(prefix=f".{edition.id}-old-", dir=frozen_root)
            os.rmdir(old)
            os.rename(folder, old)
        os.rename(new, folder)
        if old:
            shutil.rmtree(old)
    except OSError as exc:
        # What a failure leaves is what a kill leaves: `recover()` undoes it, now or next time.
        with suppress(OSError):
            recover(frozen_root, edition.id)
        raise from_os_error(exc, folder) from exc
    return len(hashes)
