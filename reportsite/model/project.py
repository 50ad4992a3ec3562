"""Where the tool's own files are: the package, its assets and print files, and the templates."""

from __future__ import annotations

import os

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The `reportsite` package folder."""
TOOL = os.path.dirname(PACKAGE)
"""The folder holding the package and `templates/`."""
TEMPLATES = os.path.join(TOOL, "templates")
ASSETS = os.path.join(PACKAGE, "assets")
"""Our CSS and JavaScript, and the vendored plotly.js, copied into every edition."""
PRINT = os.path.join(PACKAGE, "print")
"""The PDF's stylesheet and vendored font."""
