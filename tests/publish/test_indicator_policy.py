"""What the site publishes of the indicator scores, per `indicators_publish` (docs/data.md): a
distinctive score is planted for one alliance, the project is built under each policy, packaged
(the zip, the Word copy for review and the CMS hand-off, folder and zip) and every output file
searched for it: every page, the search index, the downloads, the PDF's text and its attachments,
the Word copy, the CMS fragments and attachments, the zips and workbooks unpacked. Under `none`
and `aggregate` it is nowhere, nor is that alliance's 得分率 on the indicator, not even where a
content file prints the edition's scores; under `alliance` it is in the downloads
`indicator-scores.*`, the page that prints them and its PDF and Word copy, and each alliance page
with scores shows its profile."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import EDITION_YAML, INDICATORS, RESULTS, ROOT, VALID, run_build
from scored import ADDITIVE
from scored import SCORES as SCORES_FILE

PLANTED = "8.30177"
"""104's score on 理事会会议: its 得分率 is 83.0177%, which no average or profile prints."""
FORMS = (PLANTED, "8.3017699")
"""How it may be written: as typed, or as openpyxl writes the float into a workbook's XML
(8.301769999999999)."""
RATE = "83.02"
"""104's 得分率 on 理事会会议 as a profile prints it (83.02%): the score, disclosed as a rate."""

RESULTS_TEXT = """\
evaluated:
  - {code: "110", score: 100}
  - {code: D106, score: 90}
  - {code: "201", score: 80}
  - {code: "104", score: 72}
  - {code: "233", tier: inactive}
"""
SCORES = f"""\
scores:
  "110": 10 10 / 25 25 / 30
  D106: 9 9 / 22 22 / 28
  "201": 8 8 / 20 20 / 24
  "104": {PLANTED} 6 / 20 18 / 19.69823
"""
CONTENT = """\
# 四、从各项指标来看

活跃度高的联盟在{{ weakest(tier="high", n=2) | join("、") }}方面得分率最低，
全部参评联盟理事会会议的平均得分率为 {{ rate("理事会会议") }}。

{{ chart(kind="indicators") }}

本页列出数据中的指标得分：{{ edition.scores }}；{{ archive.editions[0].scores }}。
"""


def build(tmp: Path, policy: str) -> Path:
    """The project under `policy`, built and packaged; the folder holding every output."""
    project = tmp / policy
    files = {**VALID, RESULTS: RESULTS_TEXT, INDICATORS: ADDITIVE, SCORES_FILE: SCORES,
             EDITION_YAML: VALID[EDITION_YAML] + f"indicators_publish: {policy}\n"}
    for rel, text in files.items():
        path = project / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (project / "content" / "2020-2021").mkdir(parents=True)
    if policy != "none":
        (project / "content" / "2020-2021" / "04-indicators.md").write_text(CONTENT, encoding="utf-8")
    out = project / "out"
    built = run_build("--data", "data", "--content", "content", "--out", str(out / "site"),
                      "--config", str(ROOT / "mkdocs.yml"), "--lang", "en", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    packed = run_build("package", "--draft", "--cms", "--out", str(out / "site"), "--zip", str(out / "site.zip"),
                       "--base-url", "https://www.example.gov.cn/kjbgz/", "--config", str(ROOT / "mkdocs.yml"),
                       "--lang", "en", cwd=project)
    assert packed.returncode == 0, packed.stdout + packed.stderr
    return out


def texts(folder: Path):
    """(name, text) of every file below `folder`: zips (and workbooks) unpacked, a PDF as its
    text and its attachments."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        yield from unpacked(str(path.relative_to(folder)), path.read_bytes())


def unpacked(name: str, data: bytes, path: Path | None = None):
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for entry in zf.namelist():
                yield from unpacked(f"{name}!{entry}", zf.read(entry))
    elif data[:5] == b"%PDF-":
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "report.pdf"
            pdf.write_bytes(data)
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
            yield f"{name} (text)", text.decode("utf-8", "replace")
            subprocess.run(["pdfdetach", "-saveall", "-o", tmp, str(pdf)], capture_output=True, check=True)
            for found in sorted(Path(tmp).iterdir()):
                if found != pdf:
                    yield from unpacked(f"{name}!{found.name}", found.read_bytes())
    else:
        yield name, data.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("policy")
    return {policy: build(tmp, policy) for policy in ("none", "aggregate", "alliance")}


def holding(folder: Path, forms: tuple[str, ...] = FORMS) -> list[str]:
    return [name for name, text in texts(folder) if any(form in text for form in forms)]


def test_the_outputs_are_many_kinds_of_file(outputs):
    names = [name for name, _ in texts(outputs["aggregate"])]
    for kind in ("site/2020-2021/alliances/104.html", "site/2020-2021/search-index.js", "site.zip!",
                 "site-cms.zip!", "results.xlsx!xl/", "2020-2021-report.pdf (text)", "report.pdf!results.csv",
                 "site/2020-2021/2020-2021-report.docx!word/document.xml",
                 "site-review/2020-2021-report.docx!word/document.xml", "site-cms/2020-2021/indicators.html",
                 "site-cms/2020-2021/attachments/2020-2021-report.docx!word/document.xml",
                 "site-cms/2020-2021/attachments/2020-2021-report.pdf (text)", "site-cms/articles.json"):
        assert any(kind in name for name in names), kind


@pytest.mark.parametrize("policy", ["none", "aggregate"])
def test_no_single_score_reaches_any_output(outputs, policy):
    assert holding(outputs[policy], (*FORMS, RATE)) == []


def test_the_aggregate_policy_publishes_averages(outputs):
    page = (outputs["aggregate"] / "site" / "2020-2021" / "indicators.html").read_text(encoding="utf-8")
    assert "全部参评联盟理事会会议的平均得分率为 88.25%" in page  # (10 + 9 + 8 + 8.30177) / 40
    assert "本页列出数据中的指标得分：()；()" in page
    assert not (outputs["aggregate"] / "site" / "2020-2021" / "data" / "indicator-scores.csv").exists()
    assert 'id="indicators"' not in (outputs["aggregate"] / "site" / "2020-2021" / "alliances" / "104.html").read_text()


def test_nothing_of_the_scores_under_none(outputs):
    site = outputs["none"] / "site" / "2020-2021"
    assert not os.path.exists(site / "indicators.html")
    assert not (site / "data" / "indicator-scores.csv").exists()


def test_the_alliance_policy_publishes_each_alliance(outputs):
    found = holding(outputs["alliance"])
    site = "site/2020-2021"
    for name in (f"{site}/data/indicator-scores.csv", f"{site}/data/indicator-scores.json",
                 f"{site}/indicators.html", "site.zip!2020-2021/data/indicator-scores.csv",
                 f"{site}/2020-2021-report.pdf (text)", f"{site}/2020-2021-report.docx!word/document.xml",
                 "site-review/2020-2021-report.docx!word/document.xml",
                 "site-cms/2020-2021/indicators.html", "site-cms/2020-2021/attachments/indicator-scores.csv"):
        assert name in found, found
    assert f"{site}/alliances/104.html" in holding(outputs["alliance"], (RATE,))
    assert any(name.startswith(f"{site}/data/indicator-scores.xlsx!xl/") for name in found), found
    page = (outputs["alliance"] / "site" / "2020-2021" / "alliances" / "104.html").read_text(encoding="utf-8")
    assert 'id="indicators"' in page and "83.02%" in page
    assert "indicator-scores.csv" in (outputs["alliance"] / site / "ranking.html").read_text(encoding="utf-8")
