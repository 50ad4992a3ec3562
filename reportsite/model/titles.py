"""What an expert's title says about alliances: the alliance it names, if any."""

from __future__ import annotations

import re

ALLIANCE_SUFFIX = "产业技术创新战略联盟"
NAMED_ALLIANCE = re.compile(r"^(.+?" + ALLIANCE_SUFFIX + ")")


def alliance_named_in(title: str) -> str | None:
    """The alliance a person's title names: `X产业技术创新战略联盟` with a non-empty X, else None.

    `住宅科技产业技术创新战略联盟秘书长` names 住宅科技产业技术创新战略联盟;
    `产业技术创新战略联盟试点工作联络组秘书长` names none.
    """
    m = NAMED_ALLIANCE.match(title.strip())
    return m.group(1) if m else None
