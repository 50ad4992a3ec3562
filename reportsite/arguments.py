"""The command line's grammar: every command and option, their help in the user's language
(Chinese by default, `--lang en` anywhere on the line for English), and argparse's own phrases
(`usage:`, `invalid choice`, `unrecognized arguments`, ...) put into the same language.

The words live in the catalogue (`help/…` and `argparse/…` in model/messages.yaml). argparse looks
its phrases up through its module's `_` and `ngettext` when it formats help or an error; `speaking()`
answers those look-ups from the catalogue while a command line is parsed, and puts them back after.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterator

from reportsite.build import workers
from reportsite.model.errors import UsageError
from reportsite.model.messages import DEFAULT_LANG, LANGS, say
from reportsite.model.records import quote
from reportsite.publish.package import MANIFEST, SITEMAP

PHRASES = {
    "usage: ": "argparse/usage",
    "positional arguments": "argparse/positionals",
    "options": "argparse/options",
    "show this help message and exit": "argparse/help",
    "argument %(argument_name)s: %(message)s": "argparse/argument",
    "unrecognized arguments: %s": "argparse/unrecognized",
    "not allowed with argument %s": "argparse/not-allowed",
    "ignored explicit argument %r": "argparse/ignored-value",
    "the following arguments are required: %s": "argparse/required",
    "one of the arguments %s is required": "argparse/one-of",
    "expected one argument": "argparse/expected-one",
    "expected at most one argument": "argparse/expected-at-most-one",
    "expected at least one argument": "argparse/expected-at-least-one",
    "expected %s argument": "argparse/expected-n",
    "expected %s arguments": "argparse/expected-n",
    "ambiguous option: %(option)s could match %(matches)s": "argparse/ambiguous",
    "unexpected option string: %s": "argparse/unexpected",
    "invalid %(type)s value: %(value)r": "argparse/invalid-value",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse/invalid-choice",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse/unknown-parser",
    "can't open '%(filename)s': %(error)s": "argparse/cannot-open",
}
"""argparse's phrases a user can read (Python 3.11 to 3.13), by their catalogue slug."""


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """While inside: argparse says its phrases in `lang`."""
    saved = getattr(argparse, "_"), getattr(argparse, "ngettext")

    def translated(text: str) -> str:
        return say(PHRASES[text], lang) if lang != "en" and text in PHRASES else text

    def plural(singular: str, several: str, n: int) -> str:
        return translated(singular if n == 1 else several)

    setattr(argparse, "_", translated)
    setattr(argparse, "ngettext", plural)
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])
        setattr(argparse, "ngettext", saved[1])


def wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns as a terminal shows them (a Chinese character
    takes two), broken between Chinese characters or at spaces, never inside an option."""
    lines: list[str] = []
    line, used = "", 0
    for token in re.findall(r"[!-~]+|\s+|[^\s!-~]", " ".join(text.split())):
        size = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in token)
        if used + size > width and line.strip() and not token.isspace():
            lines.append(line.rstrip())
            line, used = "", 0
        if token.isspace() and not line:
            continue
        line, used = line + token, used + size
    return [*lines, line.rstrip()] if line.strip() else lines


class Wrapping(argparse.HelpFormatter):
    """argparse's help laid out for Chinese: line widths counted as a terminal shows them."""

    def _split_lines(self, text, width):
        return wrapped(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrapped(text, width - len(indent)))


class Parser(argparse.ArgumentParser):
    """argparse whose complaints are a `UsageError` (one line, exit status 2), not a usage dump,
    and whose help is laid out by `Wrapping`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, formatter_class=Wrapping, **kwargs)

    def error(self, message: str):
        raise UsageError.of("usage", detail=" ".join(message.split()), prog=self.prog)

    def format_help(self) -> str:
        # argparse ends a section's heading with an ASCII colon; a Chinese heading takes "：".
        return re.sub(r"^([^\x00-\x7f]+):$", r"\1：", super().format_help(), flags=re.MULTILINE)


def positive(text: str, lang: str = DEFAULT_LANG) -> int:
    """A whole number of at least 1, for `--jobs`."""
    if not re.fullmatch(r"[0-9]{1,4}", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(say("arg-jobs", lang, value=repr(quote(text))))
    return int(text)


def whole(text: str, lang: str = DEFAULT_LANG) -> int:
    """A whole number of at least 0, for `--entered`."""
    if not re.fullmatch(r"[0-9]{1,6}", text):
        raise argparse.ArgumentTypeError(say("arg-whole", lang, value=repr(quote(text))))
    return int(text)


def port(text: str, lang: str = DEFAULT_LANG) -> int:
    """A TCP port, 0 to 65535, for `--port` (0 picks a free one)."""
    if not re.fullmatch(r"[0-9]{1,5}", text) or int(text) > 65535:
        raise argparse.ArgumentTypeError(say("arg-port", lang, value=repr(quote(text))))
    return int(text)


def iso_date(text: str, lang: str = DEFAULT_LANG) -> dt.date:
    """A date written `YYYY-MM-DD`, for `correct --date`."""
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(say("arg-date", lang, value=repr(quote(text))))


def typed(check, lang: str):
    """`check` answering in `lang`, named as argparse names a value's type."""
    def read(text: str):
        return check(text, lang)
    read.__name__ = check.__name__
    return read


def parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The command line: `build` (default), `check`, `serve`, `package`, `new`, `template`,
    `import`, `freeze`, `correct`; its help, and a value it refuses, in `lang`. Build it, and
    parse with it, inside `speaking(lang)`."""
    def h(slug: str, **params) -> str:
        return say("help/" + slug, lang, **params)

    edition, file, folder = h("edition-metavar"), h("file-metavar"), h("folder-metavar")
    common = Parser(add_help=False)
    common.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=h("lang"))
    common.add_argument("--debug", action="store_true", help=h("debug"))
    top = Parser(prog="build.py", description=h("description"))
    sub = top.add_subparsers(dest="command", metavar=h("command"))
    check = sub.add_parser("check", parents=[common], help=h("check"), description=h("check"))
    build = sub.add_parser("build", parents=[common], help=h("build"), description=h("build"))
    preview = sub.add_parser("serve", parents=[common], help=h("serve"), description=h("serve-description"))
    freeze = sub.add_parser("freeze", parents=[common], help=h("freeze"), description=h("freeze-description"))
    correct = sub.add_parser("correct", parents=[common], help=h("correct"), description=h("correct-description"))
    for cmd in (freeze, correct):
        cmd.add_argument("edition", metavar=edition, help=h("edition"))
    correct.add_argument("--note", required=True, metavar=h("note-metavar"), help=h("note"))
    correct.add_argument("--workbook", metavar=file, help=h("workbook"))
    correct.add_argument("--date", type=typed(iso_date, lang), metavar=h("date-metavar"), help=h("date"))
    for cmd in (check, build, preview, freeze, correct):
        cmd.add_argument("--data", default="data", metavar=folder, help=h("data"))
        cmd.add_argument("--strict", action="store_true", help=h("strict"))
        cmd.add_argument("--content", metavar=folder, help=h("content"))
        cmd.add_argument("--verbose", action="store_true", help=h("verbose"))
    for cmd in (build, preview, freeze, correct):
        cmd.add_argument("--frozen", metavar=folder, help=h("frozen"))
        cmd.add_argument("--config", default="mkdocs.yml", metavar=file, help=h("config"))
        cmd.add_argument("--jobs", "-j", type=typed(positive, lang), default=workers.available(), metavar="N",
                         help=h("jobs", cores=workers.available()))
    for cmd in (freeze, correct):
        cmd.set_defaults(republish=[])
    for cmd in (build, freeze, correct):
        pdf_choice = cmd.add_mutually_exclusive_group()
        pdf_choice.add_argument("--pdf", action="store_true", help=h("pdf"))
        pdf_choice.add_argument("--no-pdf", action="store_true", help=h("no-pdf"))
        cmd.add_argument("--out", default="site", metavar=folder, help=h("out"))
    build.add_argument("--republish", action="append", default=[], metavar=edition, help=h("republish"))
    preview.set_defaults(republish=[])
    preview.add_argument("--host", default="127.0.0.1", metavar=h("host-metavar"), help=h("host"))
    preview.add_argument("--port", type=typed(port, lang), default=8000, metavar=h("port-metavar"), help=h("port"))
    pack = sub.add_parser("package", parents=[common], help=h("package"),
                          description=h("package-description", manifest=MANIFEST))
    pack.add_argument("--out", default="site", metavar=folder, help=h("package-out"))
    pack.add_argument("--zip", default=os.path.join("dist", "site.zip"), metavar=file, help=h("zip"))
    pack.add_argument("--base-url", metavar=h("url-metavar"), help=h("base-url", sitemap=SITEMAP))
    pack.add_argument("--config", default="mkdocs.yml", metavar=file, help=h("package-config"))
    pack.add_argument("--draft", action="store_true", help=h("draft"))
    pack.add_argument("--since", metavar=h("since-metavar"), help=h("since"))
    pack.add_argument("--cms", action="store_true", help=h("cms"))
    made = sub.add_parser("new", parents=[common], help=h("new"), description=h("new-description"))
    made.add_argument("edition", metavar=edition, help=h("new-edition"))
    made.add_argument("--from", dest="source", metavar=edition, help=h("from"))
    made.add_argument("--content", metavar=folder, help=h("content"))
    book = sub.add_parser("template", parents=[common], help=h("template"), description=h("template-description"))
    book.add_argument("edition", metavar=edition, help=h("edition"))
    book.add_argument("file", metavar=file, help=h("template-file"))
    read = sub.add_parser("import", parents=[common], help=h("import"), description=h("import-description"))
    read.add_argument("edition", metavar=edition, help=h("edition"))
    read.add_argument("file", metavar=file, help=h("import-file"))
    read.add_argument("--update-registry", action="store_true", help=h("update-registry"))
    read.add_argument("--entered", type=typed(whole, lang), metavar="N", help=h("entered"))
    read.add_argument("--rename", action="append", default=[], metavar=h("code-metavar"), help=h("rename"))
    for cmd in (made, book, read):
        cmd.add_argument("--data", default="data", metavar=folder, help=h("data"))
    return top
