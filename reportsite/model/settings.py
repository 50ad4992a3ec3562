"""The site settings (`mkdocs.yml`), read once into typed values.

MkDocs reads the whole file (theme, Markdown extensions) through each edition's configuration;
our code reads only what is typed here: the public address (`site_url`) and the identifiers and
names a government site carries (`extra.gov`). A value the web editors have not filled in yet
(empty, or the placeholder 待填写) counts as unset: it is left out of every page, and `missing`
names the identifiers still to be filled, so `build` can warn and `package` can refuse to publish.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import quote, urlsplit

import yaml

from reportsite.model.errors import BuildError, relative
from reportsite.model.files import NotAFile, TooLarge, plain_file
from reportsite.model.messages import Message, message
from reportsite.model.chars import char_name
from reportsite.model.records import UNCARRIED, Loc, Problem
from reportsite.model.records import quote as quoted

PLACEHOLDERS = frozenset({"", "待填写"})
"""Values that mean "not filled in yet"."""
IDENTIFIERS = {"site_id_code": "网站标识码", "icp": "ICP 备案号", "police": "公安机关备案号"}
"""Identifiers issued to the site that the public pages must carry (`extra.gov.site_id_code`,
`extra.gov.icp`, `extra.gov.police`), with how to name them: as the settings file's comments
label them for the web editors who fill them in."""
FILES = {"emblem": "emblem", "favicon": "favicon", "dzjg_logo": "dzjg"}
"""Settings of `extra.gov` that name an image file (a path from the settings file's folder), with
the name the file is given in the root's `assets/images/` (its extension kept)."""
EMBLEM = "assets/images/emblem.svg"
"""The neutral emblem the tool ships (never the national emblem), at the site's root: the header's
emblem and the pages' icon until the settings name files of their own."""
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
"""Characters an address's path keeps as they are (everything else is percent-encoded)."""
MAX_SETTINGS_BYTES = 1024 * 1024
"""The largest settings file read (ours is 6 KB)."""


def is_set(value) -> bool:
    """Whether a settings value is filled in (not missing, empty or a placeholder)."""
    return value is not None and str(value).strip() not in PLACEHOLDERS


def public(gov: dict | None) -> dict:
    """`extra.gov` with only the values that are filled in, each stripped of spaces."""
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in (gov or {}).items() if is_set(v)}


def missing(gov: dict | None) -> list[str]:
    """The identifiers a public page must carry that are not filled in, as named for a person."""
    gov = gov or {}
    return [label for key, label in IDENTIFIERS.items() if not is_set(gov.get(key))]


def base_url(config: dict) -> str | None:
    """The site's public address from the settings (`site_url`), ending in `/`, or None."""
    url = config.get("site_url")
    if not is_set(url):
        return None
    parts = urlsplit(str(url).strip())
    _ = parts.port  # a malformed port raises ValueError, as a malformed IPv6 host did above
    path = quote(parts.path, safe=PATH_SAFE)
    return parts._replace(path=path if path.endswith("/") else path + "/").geturl()


@dataclass(frozen=True)
class Settings:
    """The settings of one run."""

    raw: dict = field(default_factory=dict)
    """The whole file as read: every edition's MkDocs configuration starts from it."""
    gov: dict = field(default_factory=dict)
    """`extra.gov` as written, placeholders included."""
    public_url: str | None = None
    """The archive root's public address (`site_url`), ending in `/`; None when unset."""
    folder: str = "."
    """The settings file's folder: a file a setting names is found from here."""
    path: str = ""
    """The settings file, as the user named it ("" when there is none)."""
    lines: dict = field(default_factory=dict)
    """The line of each identifier of `extra.gov` in the file (of `gov:` for one not written),
    and of `site_url`, for a message that names the line to edit."""

    @property
    def shown(self) -> dict:
        """`extra.gov` with only the values filled in: what pages and the footer carry."""
        return public(self.gov)

    @property
    def missing(self) -> list[str]:
        """The identifiers still to be filled in before publication, as named for a person."""
        return missing(self.gov)

    def to_fill(self) -> tuple[str, str]:
        """Where the missing identifiers are typed: (`mkdocs.yml:46`, the first line to edit),
        and each as named for a person with its line (`网站标识码（第 46 行）`)."""
        keys = [k for k in IDENTIFIERS if not is_set(self.gov.get(k))]
        lines = [self.lines.get(k) for k in keys]
        first = next((line for line in lines if line), None)
        where = f"{relative(self.path)}:{first}" if self.path and first else relative(self.path) if self.path else ""
        return where, "、".join(f"{IDENTIFIERS[k]}（第 {line} 行）" if line else IDENTIFIERS[k]
                               for k, line in zip(keys, lines))

    @property
    def images(self) -> dict[str, str]:
        """The column's images by setting (`emblem`, `favicon`, `dzjg_logo`), each a path from the
        site's root: the file a setting names, else the neutral emblem the tool ships (for the
        emblem and the icon; the 党政机关网站标识 is left out until it is set)."""
        named = {key: path for path in self.files(check=False) for key, stem in FILES.items()
                 if path.rsplit("/", 1)[-1].startswith(stem + ".")}
        return {"emblem": named.get("emblem", EMBLEM), "favicon": named.get("favicon", EMBLEM),
                **({"dzjg_logo": named["dzjg_logo"]} if "dzjg_logo" in named else {})}

    def files(self, check: bool = True) -> dict[str, str]:
        """The image files the settings name (`FILES`), by their path from the site's root
        (`assets/images/emblem.png`) -> the file on disk; `BuildError` when one is missing."""
        out = {}
        for key, stem in FILES.items():
            name = self.shown.get(key)
            if not isinstance(name, str):
                continue
            path = os.path.join(self.folder, name)
            if check and not os.path.isfile(path):
                raise BuildError.of("settings-file", relative(path), key=f"extra.gov.{key}")
            out[f"assets/images/{stem}{os.path.splitext(name)[1].lower()}"] = path
        return out



def settings_of(config: dict, path: str = "", lines: dict | None = None) -> Settings:
    """`Settings` from a settings mapping already read (from `path`, its lines as `key_lines` finds
    them; a file a setting names is found from the folder of `path`)."""
    folder = os.path.dirname(os.path.abspath(path)) if path else "."
    return Settings(config, (config.get("extra") or {}).get("gov") or {}, base_url(config), folder, path,
                    lines or {})


def key_lines(text: str) -> dict[str, int]:
    """The 1-based line of `site_url` and of each identifier of `extra.gov` in a settings file's
    text; an identifier not written is given the line of `gov:` (or of `extra:`)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}

    def child(node, key):
        if isinstance(node, yaml.MappingNode):
            return next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), (None, None))
        return None, None

    out = {}
    key, _ = child(root, "site_url")
    if key is not None:
        out["site_url"] = key.start_mark.line + 1
    extra_key, extra = child(root, "extra")
    gov_key, gov = child(extra, "gov")
    fallback = gov_key or extra_key
    for name in IDENTIFIERS:
        key, _ = child(gov, name)
        at = key or fallback
        if at is not None:
            out[name] = at.start_mark.line + 1
    return out


def read_settings(path: str) -> Settings:
    """The settings file (plain YAML: no Python tags), its `theme` and `extra` checked to be
    mappings (a theme given by name, `theme: material`, is read as `{name: material}`)."""
    shown = relative(path)
    try:
        plain_file(path, MAX_SETTINGS_BYTES)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        config = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise BuildError.of("settings-unreadable", where, reason=exc.problem or exc.context) from exc
    except NotAFile as exc:
        raise BuildError.of("settings-unreadable", shown, reason=message("file-unreadable/special")) from exc
    except TooLarge as exc:
        raise BuildError.of("settings-unreadable", shown, reason=message(
            "file-too-large", size=f"{exc.args[0] / 2**20:.1f} MB", limit=f"{MAX_SETTINGS_BYTES // 2**20} MB")) from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        raise BuildError.of("settings-unreadable", shown, reason=reason) from exc
    if not isinstance(config, dict):
        raise BuildError.of("settings-not-mapping", shown)
    odd = uncarried(text, shown)
    if odd:
        first = odd[0]
        raise BuildError(cast(Message, first.message), str(first.loc), first.slug)
    if isinstance(config.get("theme"), str):
        config["theme"] = {"name": config["theme"]}
    for key in ("theme", "extra", "extra.gov"):
        value: object = config
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and not isinstance(value, dict):
            raise BuildError.of("settings-key", shown, key=key, value=shown_value(value))
    try:
        return settings_of(config, path, key_lines(text))
    except ValueError as exc:  # `site_url: https://[::1/`, a port of 99999
        raise BuildError.of("settings-key", shown, key="site_url", value=shown_value(config.get("site_url"))) from exc


def uncarried(text: str, shown: str) -> list[Problem]:
    """A `control-character` problem for each value or key of the settings' YAML `text` holding a
    character XML, JSON and a terminal cannot carry (written as an escape in double quotes,
    `"\\uFFFE"`: PyYAML refuses them typed as they are)."""
    found = []
    nodes = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.ScalarNode):
            m = UNCARRIED.search(node.value)
            if m:
                mark = node.start_mark
                found.append(Problem("control-character", Loc(shown, mark.line + 1, mark.column + 1),
                                     message("control-character/uncarried", value=quoted(node.value),
                                             char=char_name(m.group()), position=m.start() + 1)))
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            nodes.extend(n for pair in node.value for n in pair)
    return sorted(found, key=lambda p: p.loc)


def settings_problems(path: str) -> list[Problem]:
    """What `check` says of the settings file: nothing when it is fine or absent (`build` then
    says why it cannot be read), else its characters no page can carry."""
    try:
        plain_file(path, MAX_SETTINGS_BYTES)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return uncarried(text, relative(path))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []


def shown_value(value, limit: int = 60) -> str:
    """A settings value as the user typed it, cut to `limit` characters."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000).strip()
    text = text.removesuffix("\n...").removesuffix("...").strip()
    return text if len(text) <= limit else text[:limit] + "…"
