"""The archive's accessibility statement (无障碍与适老化说明, `accessibility.html` at the root,
linked from every page's footer) and the files it and the root pages load (its stylesheet, the reading aids)."""

from __future__ import annotations

import os
import shutil

from reportsite.root.archive import root_env

PAGE = "accessibility.html"
FILES = (("css", "reading-aids.css"), ("css", "statement.css"), ("js", "reading-aids.js"))


def write(root: str, templates: str, assets: str, gov: dict) -> None:
    """Write the statement page and copy the reading aids into the root's `assets/`."""
    html = root_env(templates).get_template(f"archive/{PAGE}").render(gov=gov)
    with open(os.path.join(root, PAGE), "w", encoding="utf-8", newline="\n") as f:
        f.write(html)
    for kind, name in FILES:
        os.makedirs(os.path.join(root, "assets", kind), exist_ok=True)
        shutil.copy(os.path.join(assets, kind, name), os.path.join(root, "assets", kind, name))
