"""The PDF of record uses only the vendored faces (issue 22): an inline `font-family`, a `font`
shorthand, `<font face>` or code (which the engine's own stylesheet sets in monospace) fall back to
the vendored font, never to a system font such as DejaVu."""

from __future__ import annotations

import subprocess

import pytest
from hostile import HostileProject

from reportsite.write.printable import own_font

EDITION = "2020-2021"


@pytest.mark.parametrize("style, kept", [
    ("font-family: DejaVu Sans", ""),
    ("color: red; font-family: 'DejaVu Serif' !important; margin: 0", "color: red; margin: 0"),
    ("FONT: 12px/1.5 monospace", ""),
    ("font-size: 12px", "font-size: 12px"),
    ("font-weight: bold; font-family:x", "font-weight: bold"),
], ids=["family", "important", "shorthand", "size-kept", "weight-kept"])
def test_an_inline_family_is_taken_out_of_the_pdf_s_document(style, kept):
    assert own_font(style) == kept


def test_the_pdf_embeds_only_the_vendored_faces(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    project = HostileProject(tmp_path)
    project.content_file("02-fonts.md", '# 字体\n\n<span style="font-family: DejaVu Sans !important">abc 文字</span>'
                         ' 与 <code>code 代码</code> 与 <font face="DejaVu Serif">font</font> 与 '
                         '<span style="font: 12px monospace">mono</span>\n')
    result = project.build(pdf=True)
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = project.site / EDITION / f"{EDITION}-report.pdf"
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
    fonts = sorted(line.split()[0].split("+", 1)[1] for line in lines[2:])
    assert fonts == ["Report-Serif", "Report-Serif-Bold"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "abc 文字" in text and "code 代码" in text
