"""MkDocs hooks (loaded through the `hooks:` setting of each edition's configuration)."""

from __future__ import annotations

from reportsite.pages import COMPILED


def on_env(env, config, files):
    """Share compiled theme templates across editions and `serve` rebuilds."""
    env.bytecode_cache = COMPILED
    return env
