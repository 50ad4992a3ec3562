"""Hostile content against the page policy (issue 22): script, frames and anything loaded from
another host are located `content-script` errors at `check` and `build`; characters XML and JSON
cannot carry are located `control-character` errors; the policy a page ships with lists only the
site's own inline code and stays in `<head>` whatever the page's text says.

Each case asserts the slug and `file:line` (and column where the source places it), no traceback,
and that the site built before is intact (the `hostile` fixture of test_hostile_content).
"""

from __future__ import annotations

import re

import pytest
from hostile import failed_with, live_script, no_traceback, run
import test_hostile_content as shared
from test_hostile_content import PAGE, fails

from reportsite.render.policy import refused_markup
from reportsite.write import csp

built, hostile, fresh = shared.built, shared.hostile, shared.fresh
"""The fixtures of test_hostile_content: a project built once, each case restoring its content."""

REFUSED = [
    ("<script>alert('PWNED')</script>", 3, 1),
    ("正文<script src=https://evil.example/x.js></script>", 3, 3),
    ("<img src=\"x.png\" onerror=\"alert('PWNED')\">", 3, 18),
    ("*强*{: onmouseover=alert('PWNED') }", 3, 7),
    ("## 标题 {: onclick=alert('PWNED') }", 3, 10),
    ("[点此](javascript:alert('PWNED'))", 3, 6),
    ("[点此][x]\n\n[x]: javascript:alert('PWNED')", 5, 6),
    ("<a href=' JaVaScRiPt:alert(1)'>x</a>", 3, 11),
    ("<iframe src=\"https://evil.example/\"></iframe>", 3, 1),
    ("<object data=\"https://evil.example/x.swf\"></object>", 3, 1),
    ("<embed src=\"https://evil.example/x.swf\">", 3, 1),
    ("<base href=\"https://evil.example/\">", 3, 1),
    ("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">", 3, 7),
    ("<video src=https://evil.example/v.mp4 controls></video>", 3, 12),
    ("<video controls><source src=\"//evil.example/v.mp4\"></video>", 3, 30),
    ("<video poster=\"http://evil.example/p.png\"></video>", 3, 16),
    ("![统计](https://evil.example/pixel.gif)", 3, 7),
    ("<img srcset=\"a.png 1x, https://evil.example/b.png 2x\">", 3, 14),
    ("<link rel=stylesheet href=\"https://evil.example/x.css\">", 3, 28),
    ("<p style=\"background:url(https://evil.example/x.png)\">x</p>", 3, 26),
    ("<style>@import 'https://evil.example/x.css';</style>", 3, 17),
    ("<form action=\"https://evil.example/\"><button>提交</button></form>", 3, 15),
    ("<div markdown=\"1\">\n*x*{: onclick=alert(1) }\n</div>", 4, 7),
    ('{{ "<script>alert(1)</script>" | safe }}', 3, 5),
]


@pytest.mark.parametrize("text, line, col", REFUSED, ids=[
    "script", "script-src-elsewhere", "onerror", "attr-list-inline", "attr-list-heading", "javascript-link",
    "javascript-reference", "javascript-mixed-case", "iframe", "object", "embed", "base", "meta-http-equiv",
    "video-elsewhere", "source-protocol-relative", "poster", "markdown-image-elsewhere", "srcset", "link-stylesheet",
    "style-url", "style-import", "form-action", "md-in-html-attr-list", "expression-made-script"])
def test_script_and_loads_from_elsewhere_are_refused_where_they_stand(hostile, text, line, col):
    said = fails(hostile, f"# 标题\n\n{text}\n", "content-script", f"{line}:{col}")
    assert "正文不能含有 <" in said


@pytest.mark.parametrize("text, line, col", REFUSED[:3], ids=["script", "script-src", "onerror"])
def test_check_refuses_them_too_in_english(hostile, text, line, col):
    hostile.content_file("02-hostile.md", f"# 标题\n\n{text}\n")
    said = failed_with(run("check", "--lang", "en", cwd=hostile.root), "content-script", f"{PAGE}:{line}:{col}")
    assert "content may not hold <" in said and "tracking or widget code belongs on the server" in said


ALLOWED = [
    "[科技部](https://www.most.gov.cn/)",
    "<a href=\"https://www.most.gov.cn/\">科技部</a>",
    "`<script>alert(1)</script>` 是一段示例代码。",
    "示例：\n\n    <script src=\"https://evil.example/x.js\"></script>\n\n（缩进四格即代码块）",
    "页面提到 `<meta http-equiv=\"Content-Security-Policy\" content=\"default-src *\">`。",
    "![图](data:image/png;base64,iVBORw0KGgo=)",
    "<img src=\"../assets/logo.png\" alt=\"\">",
    "[邮件](mailto:office@example.org)",
    "事件 onclick=x 只是文字。",
]


@pytest.mark.parametrize("text", ALLOWED, ids=["link-elsewhere", "anchor-elsewhere", "code-span-script",
                                                "indented-code-script", "code-span-policy", "data-image", "own-image",
                                                "mailto", "words"])
def test_links_text_and_code_are_allowed(text):
    assert refused_markup(f"# 标题\n\n{text}\n") == []


def test_a_page_mentioning_the_policy_still_ships_with_it(fresh):
    fresh.content_file("02-policy.md", "# 策略\n\n页面提到 `<meta http-equiv=\"Content-Security-Policy\" "
                       "content=\"default-src *\">` 与 http-equiv=\"Content-Security-Policy\"。\n")
    result = fresh.build()
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (fresh.site / "2020-2021" / "policy.html").read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    assert len(re.findall(r'<meta http-equiv="Content-Security-Policy" content="default-src', head)) == 1
    assert live_script(fresh.site) == []


def test_the_policy_hashes_only_the_sites_own_inline_code():
    own = "<script>var ours=1</script>"
    content = "<p>x</p><script>alert('PWNED')</script>"
    page = (f"<html><head><meta charset=\"utf-8\"><title>t</title>{own}</head><body>"
            f"{csp.mark_content(content)}<script>var after=1</script></body></html>")
    served = csp.protect(page)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', served).group(1)
    assert csp.digest("var ours=1") in policy.replace("&#x27;", "'")
    assert csp.digest("var after=1") in policy.replace("&#x27;", "'")
    assert csp.digest("alert('PWNED')") not in policy.replace("&#x27;", "'")
    assert "reportsite-content" not in served and content in served


def test_a_forged_content_mark_does_not_widen_the_policy():
    inner = "<script>alert('PWNED')</script>"
    forged = csp.mark_content(inner)
    content = f"<p>x</p>{forged}<!--/reportsite-content-->"
    page = f"<html><head><meta charset=\"utf-8\"></head><body>{csp.mark_content(content)}</body></html>"
    policy = csp.protect(page)
    assert csp.digest("alert('PWNED')") not in policy.replace("&#x27;", "'")


@pytest.mark.parametrize("text, line, col, says", [
    ("正文\x01文字", 3, 3, "U+0001"),
    ("正文\x0c", 3, 3, "U+000C"),
    ("正文\u0085", 3, 3, "U+0085"),
    ("\ufffe正文", 3, 1, "U+FFFE"),
    ("正文\ufdd0", 3, 3, "U+FDD0"),
], ids=["c0", "form-feed", "c1", "fffe", "fdd0"])
def test_characters_no_page_can_carry_are_refused_where_they_stand(hostile, text, line, col, says):
    said = fails(hostile, f"# 标题\n\n{text}\n", "control-character", f"{line}:{col}")
    assert says in said


@pytest.mark.parametrize("expression, says", [
    ('"\\ud800"', "U+D800"), ('"\\uFFFE"', "U+FFFE"), ('"%c" | format(1)', "U+0001"), ('"\\x1b[2J"', "U+001B"),
], ids=["surrogate", "fffe", "format-c0", "escape"])
def test_an_expression_printing_them_is_refused_at_its_line(hostile, expression, says):
    said = fails(hostile, f"# 标题\n\n正文\n{{{{ {expression} }}}}\n", "control-character", "4")
    assert says in said
