"""Hostile sites and requests for `package` (issue 22): what a hand-off fragment keeps of a page
that holds what content may not (a site built by hand or by an older tool), and more below.

Each case asserts the exact outcome: the slug and location of the one error line, or the exact
output, and no traceback.
"""

from __future__ import annotations

import pytest

from reportsite.publish.cms import fragment

EDITION_URL = "https://www.most.gov.cn/kjbgz/2020-2021/"


def page(body: str) -> str:
    return f'<html><body><article class="md-content__inner md-typeset">{body}</article></body></html>'


@pytest.mark.parametrize("body, kept", [
    ("<video src=https://evil.example/v.mp4 controls></video>", '<video controls=""></video>'),
    ("<video src=\"https://[::1/v.mp4\"></video>", "<video></video>"),
    ('<video poster="https://evil.example/p.png"><source src="//evil.example/v.mp4"></video>',
     "<video><source></video>"),
    ('<object data="https://evil.example/x.swf"><p>后备</p></object>', ""),
    ('<iframe src="https://evil.example/"></iframe><embed src="https://evil.example/x">', ""),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0">', ""),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', ""),
    ('<img srcset="https://evil.example/x.png 2x" src="https://evil.example/x.png" alt="统计">', ""),
    ('<a href="https://[::1/">坏地址</a>', "坏地址"),
    ('<a href="javascript:alert(1)" onclick="alert(1)">链接</a>', "链接"),
    ('<svg><image href="https://evil.example/x.png"/></svg>', "<svg><image /></svg>"),
    ('<p style="background:url(https://evil.example/x.png)">文字</p>', "<p>文字</p>"),
], ids=["video-elsewhere", "video-bad-address", "poster-and-source", "object", "iframe-embed", "base-meta",
        "link", "img-srcset", "bad-ipv6-link", "javascript-link", "svg-image", "style-url"])
@pytest.mark.parametrize("edition_url", [None, EDITION_URL], ids=["no-address", "address"])
def test_a_fragment_keeps_nothing_that_loads_from_elsewhere_and_never_fails(body, kept, edition_url):
    assert fragment(page(body), set(), set(), edition_url) == kept + "\n"
