"""Words a user reads, kept apart from the code: one catalogue keyed by slug, in Chinese and English.

Stages produce problems and errors as data (a slug, a location and parameters); only the command
line turns them into sentences, in the language the user chose (`--lang`, Chinese by default).
A slug missing from the catalogue falls back to the English sentence written where the problem
was found (older messages, until every one has moved here).

This module imports nothing of ours, so every floor may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {
    # slug: (Chinese, English). Parameters are `str.format` fields.
}
"""Every message by slug: (Simplified Chinese, English)."""


def say(slug: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The sentence for `slug` in `lang`, its fields filled from `params`."""
    zh, en = CATALOGUE[slug]
    return (en if lang == "en" else zh).format(**params)


@dataclass(frozen=True)
class Message:
    """A sentence not yet put into words: its slug and parameters. `str()` gives the English."""

    slug: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The sentence in `lang`."""
        return say(self.slug, lang, **dict(self.params))

    def __str__(self) -> str:
        return self.text("en")


def message(slug: str, **params) -> Message:
    """A `Message` for `slug` (which must be in the catalogue) with `params`."""
    if slug not in CATALOGUE:
        raise KeyError(f"no message {slug!r} in the catalogue")
    return Message(slug, tuple(sorted(params.items())))


def text(value, lang: str = DEFAULT_LANG) -> str:
    """A message (a `Message` or an older plain English string) in `lang`."""
    return value.text(lang) if isinstance(value, Message) else str(value)
