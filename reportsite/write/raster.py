"""A chart's SVG as a PNG picture for the Word copy: 300 dpi at the width the PDF draws it, its
text in the vendored serif (never a system font), rendered by resvg (a Rust renderer shipped as a
wheel, so a set-up needs only pip) and kept in the project's cache by the digest of what made it,
so an unchanged chart is never rendered twice.
"""

from __future__ import annotations

import hashlib
import os
import re
from importlib.metadata import PackageNotFoundError, version

from reportsite.model import files
from reportsite.model.project import PRINT

DPI = 300
WIDTH_MM = 125
"""The width the PDF's stylesheet gives a chart (`svg.chart-svg`)."""
FONT = os.path.join(PRINT, "fonts", "NotoSerifSC-Regular.woff")
FONT_FAMILY = "Noto Serif SC"
CAMEL = {"viewbox": "viewBox", "preserveaspectratio": "preserveAspectRatio", "textlength": "textLength",
         "lengthadjust": "lengthAdjust"}
"""SVG attributes an HTML parser lower-cases, as SVG spells them."""


def pixels(mm: float = WIDTH_MM) -> int:
    """The picture's width in pixels at `DPI`."""
    return round(mm / 25.4 * DPI)


def standalone(svg: str) -> str:
    """An inline chart SVG as a file of its own: SVG's attribute names, the vendored font's
    family, the SVG namespace."""
    text = re.sub(r"\s(viewbox|preserveaspectratio|textlength|lengthadjust)=",
                  lambda m: f" {CAMEL[m.group(1)]}=", svg)
    text = re.sub(r'font-family="[^"]*"', f'font-family="{FONT_FAMILY}"', text)
    if "xmlns=" not in text[:200]:
        text = text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return text


def renderer_version() -> str:
    """The installed resvg binding's version ("" when missing)."""
    try:
        return version("resvg-py")
    except PackageNotFoundError:
        return ""


def font_file(cache_dir: str) -> str:
    """The vendored serif as TrueType (resvg reads no WOFF), made once into the cache."""
    with open(FONT, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    path = os.path.join(cache_dir, "fonts", f"NotoSerifSC-Regular-{digest}.ttf")
    if not os.path.isfile(path):
        import io

        from fontTools.ttLib import TTFont

        font = TTFont(FONT)
        font.flavor = None
        out = io.BytesIO()
        font.save(out)
        files.write(path, out.getvalue())
    return path


def chart_png(svg: str, cache_dir: str) -> bytes:
    """The chart as PNG bytes (from the cache when made before)."""
    source = standalone(svg)
    key = hashlib.sha256(f"{renderer_version()}\0{DPI}\0{WIDTH_MM}\0{source}".encode()).hexdigest()
    cached = os.path.join(cache_dir, "png", f"{key[:32]}.png")
    if os.path.isfile(cached):
        with open(cached, "rb") as f:
            return f.read()
    import resvg_py

    data = bytes(resvg_py.svg_to_bytes(svg_string=source, skip_system_fonts=True, font_files=[font_file(cache_dir)],
                                       font_family=FONT_FAMILY, serif_family=FONT_FAMILY,
                                       sans_serif_family=FONT_FAMILY, width=pixels(), background="#ffffff"))
    files.write(cached, data)
    return data
