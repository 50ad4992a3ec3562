"""What a page says about itself to the ministry's platform and to search engines: the government
website metadata set, the public address, and schema.org JSON-LD.

A value the web editors have not filled in yet is left out of every page (`settings.py` says
which values count as unset). The public address (`site_url` of the settings) makes addresses
absolute; without it they are relative or left out.

Pure functions of settings and data; `jsonld_script()` escapes through `escape.script_json()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from reportsite.model.escape import script_json
from reportsite.model.settings import PATH_SAFE, is_set, public


@dataclass(frozen=True)
class Download:
    """One file offered for download on an edition home."""

    path: str
    """Relative to the edition's folder: `data/results.csv`."""
    size: int
    """Bytes."""


FORMATS = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           ".json": "application/json", ".pdf": "application/pdf"}
"""The download formats described in JSON-LD, by file suffix."""


def site_domain(base: str | None) -> str | None:
    """The host of the public address (SiteDomain)."""
    return urlsplit(base).netloc if base else None


def pub_date(published: str) -> str:
    """PubDate as the guideline writes it, `YYYY-MM-DD HH:MM`: the first day of the month an edition
    was published (`YYYY-MM`), at 00:00."""
    return f"{published}-01 00:00"


def meta_set(gov: dict, base: str | None, edition: dict, keywords: list[str]) -> dict:
    """The site- and edition-wide part of the government metadata, only the values that are set.
    `edition` is the `extra.edition` a page sees; the page adds ArticleTitle, Description and Url."""
    gov = public(gov)
    values = {
        "SiteName": gov.get("site_name"),
        "SiteDomain": gov.get("site_domain") or site_domain(base),
        "SiteIDCode": gov.get("site_id_code"),
        "ColumnName": gov.get("column_name"),
        "ColumnType": gov.get("column_type"),
        "PubDate": pub_date(edition["published"]),
        "ContentSource": edition["publishers"],
        "Keywords": ",".join(k for k in keywords if is_set(k)),
        "Author": edition["publishers"],
    }
    return {k: v for k, v in values.items() if is_set(v)}


def organizations(publishers) -> list[dict]:
    """The publishers as schema.org `Organization`s."""
    return [{"@type": "Organization", "name": name} for name in publishers]


def report_jsonld(title: str, description: str, published: str, publishers, version: int,
                  downloads: list[Download], url: str | None, keywords: list[str]) -> dict:
    """The edition home as a schema.org `Report`, its downloads as a `Dataset` with one
    `DataDownload` per file. Addresses are absolute under `url` (the edition's public address),
    else relative to the edition's folder."""
    orgs = organizations(publishers)
    prefix = url or ""
    distribution = [{"@type": "DataDownload", "contentUrl": prefix + quote(d.path, safe=PATH_SAFE),
                     "encodingFormat": FORMATS[suffix(d.path)], "contentSize": f"{d.size} B",
                     "name": d.path.rsplit("/", 1)[-1]}
                    for d in downloads if suffix(d.path) in FORMATS]
    dataset = {"@type": "Dataset", "name": f"{title}：数据", "description": f"{title}的评价结果数据与报告文件",
               "creator": orgs, "publisher": orgs, "datePublished": published, "inLanguage": "zh-CN",
               "distribution": distribution, "keywords": keywords}
    report = {"@context": "https://schema.org", "@type": "Report", "name": title, "headline": title,
              "description": description, "datePublished": published, "inLanguage": "zh-CN",
              "version": str(version), "author": orgs, "publisher": orgs, "keywords": keywords,
              "hasPart": dataset}
    if url:
        report["url"] = url
        report["@id"] = url
        dataset["url"] = url + "index.html#downloads"
    return report


def suffix(path: str) -> str:
    """`.csv` of `data/results.csv`."""
    name = path.rsplit("/", 1)[-1]
    return name[name.rfind("."):].lower() if "." in name else ""


def jsonld_script(data: dict) -> str:
    """A `<script type="application/ld+json">` element holding `data`: `<`, `>` and `&` inside its
    strings are `\\u` escapes, so a name containing `</script>` stays text."""
    return f'<script type="application/ld+json">{script_json(data)}</script>'
