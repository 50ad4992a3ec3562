"""Pages with an HTML body (alliance pages) -> full pages, without MkDocs' cost per page.

An archive holds thousands of alliance pages that differ only in their title, description and
body; converting each through Markdown and the theme was most of a build. Instead MkDocs renders
one *shell* page per outline (the ids of the body's title and second-level headings and the
texts of the latter, which the theme's table of contents lists), in the same folder as the
pages, with markers for the title, the description and the body; each page is then its shell with the markers replaced. Everything
else in a page (header, navigation, footer, scripts) is the theme's own output for that folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from reportsite.model.errors import BuildError
from reportsite.render.pages import Page
from reportsite.write.csp import CONTENT_CLOSE, CONTENT_OPEN

TITLE = "@@stamp-title@@"
DESCRIPTION = "@@stamp-description@@"
END = "@@stamp-end@@"
# The shell's body: its title heading, the line the theme puts under it (the column's byline,
# kept and put under the page's own title), then the outline's headings, then the end marker.
BODY = re.compile(f"<h1 id=\"[^\"]*\">{TITLE}</h1>(?P<byline>\n<div class=\"column-byline\">.*?</div>)?"
                  f".*?<p>{END}</p>", re.DOTALL)
MARKERS = re.compile(f"{BODY.pattern}|{TITLE}|{DESCRIPTION}", re.DOTALL)
CONTENT_MARKS = re.compile(f"(?:{re.escape(CONTENT_OPEN)}|{re.escape(CONTENT_CLOSE)})[0-9a-f]{{64}}-->")
HEADING = re.compile(r'<h([12]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)


@dataclass(frozen=True)
class Shell:
    """The page MkDocs renders for a group of stamped pages."""

    page: Page
    """The shell as a Markdown page: the outline's headings (the title a marker), an end marker
    and a marker description."""
    members: tuple[Page, ...]
    """The pages stamped into it, in page order."""


def outline(page: Page) -> tuple[tuple[str, str, str], ...]:
    """(level, id, heading HTML) of the body's first- and second-level headings; the title's
    text is left out, since the shell's title is a marker."""
    return tuple((level, anchor, "" if level == "1" else text)
                 for level, anchor, text in HEADING.findall(page.html))


def shells(pages: tuple[Page, ...]) -> list[Shell]:
    """One shell per folder, outline and scripts among the pages with an HTML body, in order of
    first appearance (so shell names are the same from run to run)."""
    groups: dict[tuple, list[Page]] = {}
    for page in pages:
        if page.html:
            key = (os.path.dirname(page.name), outline(page), page.scripts)
            groups.setdefault(key, []).append(page)
    out = []
    for i, ((folder, headings, scripts), members) in enumerate(groups.items(), start=1):
        lines = [f"{'#' * int(level)} {text or TITLE} {{#{anchor}}}"
                 for level, anchor, text in headings]
        lines += [END, ""]
        name = "/".join(p for p in (folder, f"_shell-{i}.md") if p)
        shell = Page(name, TITLE, "\n".join(lines), description=DESCRIPTION, in_nav=False, scripts=scripts)
        out.append(Shell(shell, tuple(members)))
    return out


def stamp(shell_html: str, page: Page) -> str:
    """The shell's HTML with `page`'s title, description and body in place of the markers.

    Titles and descriptions are escaped text already (rendered with autoescape), as MkDocs would
    have them from a Markdown page."""
    values = {TITLE: page.title, DESCRIPTION: page.description}
    body = page.html.strip("\n")

    def value(m: re.Match) -> str:
        if m.group(0) in values:
            return values[m.group(0)]
        return body.replace("</h1>", "</h1>" + m.group("byline"), 1) if m.group("byline") else body

    # One pass, so a marker inside a page's own text is never replaced in turn.
    return MARKERS.sub(value, shell_html)


def html_name(name: str) -> str:
    """`alliances/110.md` -> `alliances/110.html`."""
    return name[: -len(".md")] + ".html"


def expand(shell_html: str, group: Shell, shell_path: str) -> dict[str, str]:
    """Every page of `group` stamped into its built shell (`shell_html`, read from `shell_path`),
    by the page's path in the edition (`alliances/110.html`)."""
    if not BODY.search(shell_html) or TITLE not in shell_html:
        raise BuildError.of("build/theme-shell", shell_path)
    # The body stamped in is our template's, not a content file's: its policy may hash it.
    shell_html = CONTENT_MARKS.sub("", shell_html)
    return {html_name(page.name): stamp(shell_html, page) for page in group.members}
