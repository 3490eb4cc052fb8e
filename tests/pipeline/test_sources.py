"""Documents as published: the bundled corpus, converted here to PDF (reportlab, a CJK CID font), Word .docx
(python-docx), a government web page (menus, a marked article body, a footer) and GB18030 text, builds to the same
tasks, roles and deadlines as the .txt; .doc and .wps are refused with the conversion to make."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from rdflib import Dataset

from plan_kb.base.resources import CORPUS
from plan_kb.build import BuildResult, build
from plan_kb.errors import DocumentError
from plan_kb.reading.sources import html_article_text, join_pdf_lines, read_source
from plan_kb.store.folders import load_dataset

TEXT = (CORPUS / "shanxi-2022-four-plans.txt").read_text(encoding="utf-8")
PARAGRAPHS = [p.strip() for p in TEXT.split("\n") if p.strip()]

READING = """PREFIX pkb: <https://w3id.org/plan-kb/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?task ?title ?p ?o WHERE {
  ?task a pkb:Task ; dcterms:title ?title .
  { ?task ?p ?o . FILTER(?p IN (pkb:leadAgency, pkb:supportingAgency, pkb:responsibleAgency, pkb:guidingAgency,
                               pkb:inheritedResponsibleAgency, pkb:number)) }
  UNION { ?task pkb:hasDeadline ?d . ?d pkb:deadlineKind ?k . OPTIONAL { ?d pkb:date ?date }
          OPTIONAL { ?d pkb:rrule ?rule } BIND(pkb:hasDeadline AS ?p)
          BIND(CONCAT(STR(?k), STR(?date), STR(?rule)) AS ?o) }
}"""


def reading(ds: Dataset) -> set[tuple[str, ...]]:
    return {tuple(str(x) for x in row) for row in ds.query(READING)}


def make_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK", spaceAfter=8)
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(escape(p), style) for p in PARAGRAPHS])


def make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    for p in PARAGRAPHS:
        d.add_paragraph(p)
    d.save(str(path))


def make_html(path: Path) -> None:
    words = ["首页", "政务公开", "政务服务", "互动交流"]
    menu = "".join(f'<li><a href="/{i}">{w}</a></li>' for i, w in enumerate(words))
    body = "".join(f"<p style='text-indent:2em'>{escape(p)}</p>\n" for p in PARAGRAPHS)
    path.write_text(f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>山西省人民政府办公厅关于印发…的通知</title>
<script>var nav = "首页";</script><style>.x{{color:red}}</style></head>
<body><div class="header"><ul class="nav">{menu}</ul><div class="search">站内搜索 请输入关键字</div></div>
<div class="position">当前位置：首页 &gt; 政务公开 &gt; 省政府文件</div>
<div class="article"><h1>山西省人民政府办公厅关于印发我省水环境等行动计划的通知</h1>
<div class="info">发布时间：2022-11-25 来源：省政府办公厅 【字体：大 中 小】</div>
<div class="TRS_Editor">{body}</div></div>
<div class="footer"><p>主办：山西省人民政府办公厅 版权所有 网站标识码1400000051</p></div></body></html>""",
                    encoding="utf-8")


def make_gbk(path: Path) -> None:
    path.write_bytes(TEXT.encode("gb18030"))


MAKERS = {"pdf": make_pdf, "docx": make_docx, "html": make_html, "txt": make_gbk}


@pytest.fixture(scope="module")
def plain(built: BuildResult) -> set[tuple[str, ...]]:
    return reading(load_dataset(built.folder))


@pytest.mark.slow
@pytest.mark.parametrize("form", sorted(MAKERS))
def test_a_published_form_builds_to_the_same_reading(form: str, tmp_path: Path, plain: set) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    MAKERS[form](corpus / f"shanxi.{form}")
    result = build(corpus, tmp_path / "kb")
    got = reading(load_dataset(result.folder))
    assert got == plain, (sorted(plain - got)[:5], sorted(got - plain)[:5])
    (source,) = result.report["sources"]
    assert source["form"] == ("gb18030" if form == "txt" else form) and source["note"]
    published = next((result.folder / "texts").glob("*.source.txt")).read_text(encoding="utf-8")
    spans = json.loads(next((result.folder / "texts").glob("*.map.json")).read_text(encoding="utf-8"))
    assert spans["original_length"] == len(published)


def test_pdf_lines_are_joined_and_pages_are_paragraphs() -> None:
    assert join_pdf_lines("1. 推进污水处理厂提标改\n造，2023年\n\x0c底前完成。\n\nCOD and\nBOD\n") == \
        "1. 推进污水处理厂提标改造，2023年\n\n底前完成。\n\nCOD and BOD\n"


def test_the_article_body_of_a_web_page_without_menus() -> None:
    page = ("<html><body><nav>首页 新闻中心 政务公开</nav><div id='zoom'><p>一、总体要求</p><p>1. 加快建设。<br>"
            "（市住建局牵头）</p></div><div class='footer'>版权所有 主办单位</div>"
            "<script>x='政务'</script></body></html>")
    assert html_article_text(page) == "一、总体要求\n\n1. 加快建设。\n\n（市住建局牵头）\n"


def test_forms_that_cannot_be_read_say_what_to_do(tmp_path: Path) -> None:
    for name, match in [("a.wps", r"WPS Office file \(\.wps\).*save it as \.docx"),
                        ("b.pdf", "not a readable PDF"), ("c.docx", r"not a readable \.docx")]:
        (tmp_path / name).write_bytes(b"not really that")
        with pytest.raises(DocumentError, match=match):
            read_source(tmp_path / name)
    blank = tmp_path / "blank.pdf"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(blank))
    c.drawString(100, 100, "scan 2022")
    c.save()
    with pytest.raises(DocumentError, match="no text layer"):
        read_source(blank)
