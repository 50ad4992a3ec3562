"""Words a user reads, kept apart from the code: one catalogue keyed by slug, in Chinese and English.

Stages produce problems and errors as data (a slug, a location and parameters); only the command
line turns them into sentences, in the language the user chose (`--lang`, Chinese by default).
A slug missing from the catalogue falls back to the English sentence written where the problem
was found (older messages, until every one has moved here).

This module imports nothing of ours, so every floor may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {
    # slug: (Chinese, English). Parameters are `str.format` fields.
    # Data as people type it (schema.py, check.py). Every {value}, {name} is quoted by model.quote.
    "number-form/leading-zero": (
        "“{value}”以 0 开头，YAML 会把这样的数读作八进制数或文字；请去掉开头的 0：{hint}",
        '"{value}" starts with 0, which YAML reads as an octal number or as text; write it without '
        "the leading zero: {hint}"),
    "number-form/sexagesimal": (
        "YAML 会把“{value}”读作六十进制数（{read}）；请用十进制数字书写，例如 85 或 85.5",
        'YAML reads "{value}" as a base-60 number ({read}); write it in decimal digits, such as 85 '
        "or 85.5"),
    "number-form/base": (
        "“{value}”是 {base} 进制写法；请用十进制数字书写：{hint}",
        '"{value}" is written in base {base}; write it in decimal digits: {hint}'),
    "number-form/underscore": (
        "“{value}”含有下划线，YAML 会忽略它；请只写数字：{hint}",
        '"{value}" has an underscore, which YAML drops; write digits only: {hint}'),
    "number-form/comma": (
        "“{value}”含有逗号；请只写数字，小数用小数点",
        '"{value}" has a comma; write digits only, with a point for decimals'),
    "number-form/plus": (
        "“{value}”带有加号；请去掉加号：{hint}",
        '"{value}" has a plus sign; write it without: {hint}'),
    "number-form/exponent": (
        "“{value}”是科学计数法；请写成普通数字：{hint}",
        '"{value}" has an exponent; write the number in plain digits: {hint}'),
    "number-form/point": (
        "“{value}”的小数点两边都要有数字：{hint}",
        '"{value}" needs a digit on each side of the decimal point: {hint}'),
    "number-form/not-finite": (
        "“{value}”不是有限的数；请写一个数，例如 85",
        '"{value}" is not a finite number; write a number such as 85'),
    "number-form/character": (
        "“{value}”第 {position} 个字符是 {char}；数字请用半角（ASCII）数字书写",
        '"{value}" has the character {char} at position {position}; write numbers in ASCII digits'),
    "number-form/character-hint": (
        "“{value}”第 {position} 个字符是 {char}；数字请用半角（ASCII）数字书写：{hint}",
        '"{value}" has the character {char} at position {position}; write numbers in ASCII digits: '
        "{hint}"),
    "number-form/other": (
        "“{value}”不是普通的十进制数；请写成 85 或 85.5 这样的形式",
        '"{value}" is not a plain decimal number; write it as 85 or 85.5'),
    "code-form": (
        "联盟编号“{value}”第 {position} 个字符是 {char}；编号由半角数字组成，前面可加 D",
        'alliance code "{value}" has the character {char} at position {position}; a code is ASCII '
        "digits with an optional leading D"),
    "code-form/hint": (
        "联盟编号“{value}”第 {position} 个字符是 {char}；编号由半角数字组成，前面可加 D；"
        "是否应为“{hint}”？",
        'alliance code "{value}" has the character {char} at position {position}; a code is ASCII '
        'digits with an optional leading D; did you mean "{hint}"?'),
    "control-character": (
        "“{value}”第 {position} 个字符是控制字符 {char}；请删除它",
        '"{value}" holds the control character {char} at position {position}; delete it'),
    "edition-id": (
        "文件夹“{name}”不是评价年度编号；请写成 YYYY 或 YYYY-YYYY，例如 2020-2021",
        'folder "{name}" is not an edition id; name it YYYY or YYYY-YYYY, e.g. 2020-2021'),
    "edition-id/character": (
        "文件夹“{name}”第 {position} 个字符是 {char}；评价年度编号只用半角数字和连字符：YYYY 或 YYYY-YYYY",
        'folder "{name}" has the character {char} at position {position}; an edition id is ASCII '
        "digits and a hyphen: YYYY or YYYY-YYYY"),
    "edition-id/years": (
        "文件夹“{name}”：年份 {year} 不在 {low}-{high} 之内",
        'folder "{name}": the year {year} is outside {low}-{high}'),
    "edition-id/order": (
        "文件夹“{name}”：第二个年份要晚于第一个年份",
        'folder "{name}": the second year must come after the first'),
    "edition-id/file": (
        "“{name}”是文件；评价年度是一个文件夹，内有 edition.yaml 和 results.yaml",
        '"{name}" is a file; an edition is a folder holding edition.yaml and results.yaml'),
    "edition-period": (
        "评价期 {start} 至 {end} 与评价年度 {edition} 不符：应始于 {first} 年、止于 {last} 年",
        "the period {start} to {end} does not match edition {edition}: it must start in {first} "
        "and end in {last}"),
}
"""Every message by slug: (Simplified Chinese, English)."""


def say(slug: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The sentence for `slug` in `lang`, its fields filled from `params`."""
    zh, en = CATALOGUE[slug]
    return (en if lang == "en" else zh).format(**params)


@dataclass(frozen=True)
class Message:
    """A sentence not yet put into words: its slug and parameters. `str()` gives the English."""

    slug: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The sentence in `lang`."""
        return say(self.slug, lang, **dict(self.params))

    def __str__(self) -> str:
        return self.text("en")


def message(slug: str, **params) -> Message:
    """A `Message` for `slug` (which must be in the catalogue) with `params`."""
    if slug not in CATALOGUE:
        raise KeyError(f"no message {slug!r} in the catalogue")
    return Message(slug, tuple(sorted(params.items())))


def text(value, lang: str = DEFAULT_LANG) -> str:
    """A message (a `Message` or an older plain English string) in `lang`."""
    return value.text(lang) if isinstance(value, Message) else str(value)
