"""What the commands print: problem lines, the summary line and progress, in the user's language.

Every problem keeps the shape tools read in either language,
`path:line:col: error|warning|note [slug] message`; only the message and the summary line are
translated. Output reaches a Chinese Windows console too: a character the console's code page
cannot show is replaced rather than stopping the command (`setup()`).
"""

from __future__ import annotations

import sys

from reportsite.model.errors import relative
from reportsite.model.figures import tier_counts
from reportsite.model.messages import DEFAULT_LANG, Message, say, text
from reportsite.model.records import ERROR, NOTE, WARNING, Archive, Edition, Problem


def setup() -> None:
    """Make the standard streams replace what their encoding cannot show (a redirected stream
    on Windows uses the ANSI code page, GBK on a Chinese system)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def edition_summary(edition: Edition, lang: str = DEFAULT_LANG) -> str:
    """`2020-2021: 86 evaluated (35/22/18/11), 20 incomplete, 24 A-level`, in `lang`."""
    tiers = "/".join(str(n) for n in tier_counts(edition).values())
    line = say("summary-edition", lang, edition=edition.id, evaluated=len(edition.evaluated), tiers=tiers,
               incomplete=len(edition.incomplete))
    if edition.a_level is not None:
        line += say("summary-a-level", lang, count=len(edition.a_level.codes))
    return line


def report(problems: list[Problem], archive: Archive | None, lang: str = DEFAULT_LANG,
           out=None, hidden=None) -> int:
    """Print every problem on one line and the summary line (in `lang`); the number of errors.
    A note `hidden(note)` says is left out: counted in the summary, which says how to list it."""
    out = out or sys.stdout
    left_out = [p for p in problems if p.severity == NOTE and hidden is not None and hidden(p)]
    for p in problems:
        if not left_out or p not in left_out:
            print(p.render(relative(p.loc.path), lang), file=out)
    counts = {s: sum(1 for p in problems if p.severity == s) for s in (ERROR, WARNING, NOTE)}
    line = say("summary-problems", lang, errors=counts[ERROR], warnings=counts[WARNING], notes=counts[NOTE])
    if left_out:
        line += say("summary-hidden", lang, count=len(left_out))
    if archive is not None:
        line += " — " + say("summary-join", lang).join(edition_summary(e, lang) for e in archive.editions)
    print(line, file=out)
    return counts[ERROR]


def progress(said: Message | str, lang: str = DEFAULT_LANG) -> None:
    """Print one stage of a long command as it starts (a catalogue message, in `lang`)."""
    print(text(said, lang), flush=True)


def teller(lang: str):
    """`progress` in `lang`: what the stages are handed to say how far they are."""
    return lambda said: progress(said, lang)
