"""`feed.xml` at the archive's root: an Atom feed (RFC 4287) with one entry per edition and one per
dated correction, newest first, so a reader's feed reader learns of a new report or a 更正.

Dates come from the data (an edition's `published` month, as its first day; a correction's date),
never the clock, so the feed is the same bytes run to run. Entry ids are stable `urn:uuid:` names
derived from the edition and the date, valid with or without a public address; links are absolute
under the public address when it is set, else relative to the feed (resolved against its own
address, as RFC 4287 allows).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from reportsite.model.records import Archive

NAME = "feed.xml"
TITLE = "产业技术创新战略联盟活跃度评价报告：新年度报告与更正"
NAMESPACE = uuid.UUID("6f1c2a0e-5b8e-4d1a-9a52-7c4f0d2e9b31")
"""Fixed, so an entry's id never changes."""


@dataclass(frozen=True)
class Entry:
    """One item of the feed."""

    key: str
    """What the id is derived from: `edition:2020-2021`, `correction:2020-2021:2023-05-01:1`."""
    title: str
    date: str
    """`YYYY-MM-DD`."""
    link: str
    """Relative to the archive's root."""
    summary: str
    authors: tuple[str, ...]


def entries(archive: Archive) -> list[Entry]:
    """The feed's entries, newest first (an edition before its own corrections on the same day)."""
    out = []
    for e in archive.editions:
        out.append(Entry(f"edition:{e.id}", e.title, f"{e.published}-01", f"{e.id}/index.html",
                         f"{e.id} 年度报告发布（第 1 版）。", tuple(e.publishers)))
        for i, c in enumerate(e.corrections, start=1):
            out.append(Entry(f"correction:{e.id}:{c.date.isoformat()}:{i}", f"更正：{e.title}",
                             c.date.isoformat(), f"{e.id}/index.html#corrections", c.text,
                             tuple(e.publishers)))
    return sorted(out, key=lambda x: (x.date, x.key.startswith("correction")), reverse=True)


def atom(archive: Archive, base: str | None) -> bytes:
    """The feed's bytes."""
    items = entries(archive)
    prefix = base or ""
    updated = max(x.date for x in items) + "T00:00:00+08:00"
    publishers = list(dict.fromkeys(p for e in archive.editions for p in e.publishers))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"<title>{xml_escape(TITLE)}</title>",
             f"<id>urn:uuid:{uuid.uuid5(NAMESPACE, 'feed')}</id>",
             f"<updated>{updated}</updated>",
             f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(prefix + 'index.html')}/>"]
    if base:
        lines.append(f"<link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + NAME)}/>")
    lines += [f"<author><name>{xml_escape(p)}</name></author>" for p in publishers]
    for x in items:
        lines += ["<entry>",
                  f"<title>{xml_escape(x.title)}</title>",
                  f"<id>urn:uuid:{uuid.uuid5(NAMESPACE, x.key)}</id>",
                  f"<updated>{x.date}T00:00:00+08:00</updated>",
                  f"<published>{x.date}T00:00:00+08:00</published>",
                  f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(prefix + x.link)}/>",
                  *[f"<author><name>{xml_escape(a)}</name></author>" for a in x.authors],
                  f"<summary>{xml_escape(x.summary)}</summary>",
                  "</entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
