"""Words a user reads, kept apart from the code: one catalogue keyed by slug, in Chinese and English.

The catalogue is `messages.yaml` beside this module, a file translators edit: each slug has its
`zh` and `en` sentence, with `{name}` fields filled from a message's parameters. Stages produce
problems, errors and progress as data (a slug, a location and parameters, a `Message`); only the
command line turns them into sentences, in the language the user chose (`--lang`, Chinese by
default). The file is read once, on first use, so a command that says nothing never reads it.

This module imports nothing of ours, so every floor may use it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

import yaml

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
CATALOGUE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "messages.yaml")
"""The catalogue: `slug: {zh: ..., en: ...}`."""


@functools.cache
def catalogue() -> dict[str, tuple[str, str]]:
    """Every message by slug: (Simplified Chinese, English), read once from `CATALOGUE_FILE`."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(CATALOGUE_FILE, encoding="utf-8") as f:
        entries = yaml.load(f, Loader=loader)
    return {slug: (entry["zh"], entry["en"]) for slug, entry in entries.items()}


def say(slug: str, /, lang: str = DEFAULT_LANG, **params) -> str:
    """The sentence for `slug` in `lang`, its fields filled from `params` (a `Message` among them
    is put into words in the same language)."""
    zh, en = catalogue()[slug]
    shown = {k: v.text(lang) if isinstance(v, Message) else v for k, v in params.items()}
    return (en if lang == "en" else zh).format(**shown)


@dataclass(frozen=True)
class Message:
    """A sentence not yet put into words: its slug and parameters. `str()` gives the English."""

    slug: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The sentence in `lang`."""
        return say(self.slug, lang, **dict(self.params))

    def values(self) -> list[str]:
        """Every parameter as text, nested messages' parameters included (what an
        acknowledgement's subject is matched against, the same in every language)."""
        out = []
        for _, value in self.params:
            out.extend(value.values() if isinstance(value, Message) else [str(value)])
        return out

    def __str__(self) -> str:
        return self.text("en")


def message(slug: str, /, **params) -> Message:
    """A `Message` for `slug` (which must be in the catalogue) with `params`."""
    if slug not in catalogue():
        raise KeyError(f"no message {slug!r} in the catalogue")
    return Message(slug, tuple(sorted(params.items())))


def elsewhere(path: str, line: int = 0) -> Message:
    """A file, or a line of it, that a message names besides its own location (`results.yaml
    第 12 行`). It keeps the whole path, so that a command which wrote the file from a workbook
    can name the sheet and row instead (`authoring/importer.py`)."""
    file = os.path.basename(path)
    if line:
        return message("place/line", file=file, line=line, path=path)
    return message("place/file", file=file, path=path)


def text(value, lang: str = DEFAULT_LANG) -> str:
    """A message (a `Message`, or text that needs no words, such as a file name) in `lang`."""
    return value.text(lang) if isinstance(value, Message) else str(value)
