"""MkDocs hooks (loaded through the `hooks:` setting of each edition's configuration)."""

from __future__ import annotations

import re

from reportsite.model.escape import page_text
from reportsite.render.pages import COMPILED
from reportsite.render.policy import put_back, set_aside
from reportsite.write.csp import mark_content

UNUSED_THEME_FILES = re.compile(r"^assets/(javascripts/lunr/|.*\.map$)")
"""Theme files no page loads: Material's search-plugin languages (we use our own search) and
source maps (read only by a browser's developer tools). Left out, an edition is 2 MB smaller."""

_set_aside: dict[str, list[str]] = {}
"""Blocks set aside from each page being built (by source path), until its HTML is made."""


def on_config(config):
    """The site's name (the edition's title, from the data) as escaped markup: Material prints it
    raw in its header and navigation and escapes it (`| e`) in attributes and `<title>`; markup is
    printed as it is by the first and left alone by the second, so both show the text once."""
    config["site_name"] = page_text(config["site_name"])
    return config


def on_env(env, config, files):
    """Share compiled theme templates across editions and `serve` rebuilds."""
    env.bytecode_cache = COMPILED
    return env


def on_files(files, config):
    """Leave out the theme files no page loads."""
    for file in [f for f in files if UNUSED_THEME_FILES.match(f.src_uri)]:
        files.remove(file)
    return files


def on_page_markdown(markdown, page, config, files):
    """Set the page's raw chart and table blocks aside before Markdown converts it."""
    text, _set_aside[page.file.src_uri] = set_aside(markdown)
    return text


def on_page_content(html, page, config, files):
    """Put the set-aside blocks back into the converted page, and mark it as content, which the
    page's policy never trusts (`csp.mark_content`)."""
    return mark_content(put_back(html, _set_aside.pop(page.file.src_uri, [])))
