"""What the command line asks of the pipeline (`Request`), made at its edge from what the user
typed, and what a build did (`Outcome`)."""

from __future__ import annotations

from dataclasses import dataclass

from reportsite.model.messages import DEFAULT_LANG, Message
from reportsite.model.project import Project
from reportsite.write.edition import EditionBuild

NO_PDF, OPTIONAL, REQUIRED = "none", "optional", "required"


@dataclass(frozen=True)
class Request:
    """One run of the pipeline, made by the command line from what the user typed."""

    project: Project
    out: str = "site"
    """The output folder, replaced whole."""
    strict: bool = False
    """Warnings count as errors."""
    jobs: int = 1
    """Editions rendered and built side by side in this many processes."""
    pdf: str = OPTIONAL
    """Each edition's PDF: `none` (a preview or a draft), `optional` (left out, with a note, when
    the engine cannot load) or `required`."""
    republish: tuple[str, ...] = ()
    """Frozen editions to publish again (a correction)."""
    epoch: int | None = None
    """The user's `SOURCE_DATE_EPOCH`; None: derived from the newest edition."""
    lang: str = DEFAULT_LANG
    """The language of every line printed."""
    verbose: bool = False
    """List the notes of frozen and transcribed editions too (else they are only counted)."""
    locked: bool = False
    """Whether the caller already holds the project's lock (`freeze` and `correct` take it before
    they change `edition.yaml`)."""


@dataclass(frozen=True)
class Outcome:
    """What a build did: None for `summary` when a gate stopped it."""

    summary: Message | None
    builds: tuple[EditionBuild, ...] = ()
