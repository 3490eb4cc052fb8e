"""Documents as published: the text of a plan from a UTF-8 or GBK/GB18030 text file, a PDF, a Word ``.docx`` or a
web page of a government site, with what was done to get it.

The text given is the *original* of a document: the normaliser heals it and maps every character back to it, and a
build publishes it (``texts/<slug>.source.txt``) when it is not the file's own bytes. What each extraction leaves is
healed here only where it is the extraction's own mark and not the document's:

* PDF (pdfminer.six): lines broken at the page width are joined (Chinese has no spaces to keep); a form feed
  between pages becomes a blank line, which the normaliser joins where it cuts a sentence, as in the bundled corpus.
* ``.docx`` (python-docx): one paragraph a line; a table row is one line, its cells joined by a tab, so that a
  任务分工表 kept as a Word table reads as its rows.
* HTML: the article body only (the element a government CMS marks as the content, else the block with most text),
  without menus, scripts and footers; ``<p>``, ``<br>``, ``<div>`` and table rows become lines.

``.doc`` and ``.wps`` are old binary formats no maintained Python library reads: they are refused with the
conversion to make.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from plan_kb.errors import DocumentError

#: File endings the reader takes, in the order a corpus folder is read.
SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")
#: File endings refused with the conversion to make.
CONVERT = {".doc": "Word 97–2003", ".wps": "WPS Office"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_END = "。；;：:！!？?）)】〕」』”"


@dataclass(frozen=True)
class Source:
    """The text of one document and how it was got."""

    text: str
    form: str  # "text", "gb18030", "pdf", "docx", "html"
    note: str | None = None  # what a person should know, for the build report

    @property
    def converted(self) -> bool:
        return self.form != "text"


def corpus_files(folder: Path) -> list[Path]:
    """Every document file under ``folder``, in name order (``.doc``/``.wps`` included, to be refused by name)."""
    if not folder.exists():
        raise DocumentError(f"{folder}: no such corpus folder")
    if not folder.is_dir():
        raise DocumentError(f"{folder}: not a folder")
    files = sorted(f for f in folder.rglob("*") if f.is_file() and f.suffix.lower() in (*SUFFIXES, *CONVERT))
    if not files:
        looked = ", ".join("*" + s for s in SUFFIXES)
        raise DocumentError(f"{folder}: no documents in this folder (looked for {looked})")
    return files


def read_source(path: Path) -> Source:
    """The text of the document at ``path``; a clear :class:`DocumentError` for anything that cannot be read."""
    suffix = path.suffix.lower()
    if suffix in CONVERT:
        raise DocumentError(
            f"{path}: a {CONVERT[suffix]} file ({suffix}) cannot be read; save it as .docx, .pdf or UTF-8 .txt "
            f"(e.g. soffice --headless --convert-to docx {path.name})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror})") from exc
    if suffix == ".pdf":
        return _pdf(path, raw)
    if suffix == ".docx":
        return _docx(path, raw)
    text = _decode(path, raw)
    if suffix in (".html", ".htm"):
        return Source(html_article_text(text.text), "html",
                      "article body taken from the web page" + (f"; {text.note}" if text.note else ""))
    return text


def _decode(path: Path, raw: bytes) -> Source:
    try:
        return Source(raw.decode("utf-8-sig"), "text")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    letters = [c for c in text if not c.isspace()]
    if letters and len(_CJK.findall(text)) >= 0.3 * len(letters):
        return Source(text, "gb18030", "converted from GBK/GB18030 to UTF-8")
    raise DocumentError(f"{path}: neither UTF-8 nor GBK/GB18030 text (byte {utf8_error.start} cannot be decoded); "
                        "save it as UTF-8")


def _pdf(path: Path, raw: bytes) -> Source:
    from io import BytesIO

    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(BytesIO(raw))
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise DocumentError(f"{path}: not a readable PDF ({exc})") from exc
    if not _CJK.search(text):
        raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR on it first or give its text")
    return Source(join_pdf_lines(text), "pdf", "text extracted from the PDF; lines broken at the page width joined")


def join_pdf_lines(text: str) -> str:
    """PDF text as paragraphs: a page break is a blank line; a single line break inside a block is the page width's,
    not the author's, and goes (a space is kept only between two Latin letters or digits)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\x0c", "\n\n")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    out = []
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        joined = lines[0]
        for ln in lines[1:]:
            gap = " " if joined[-1:].isascii() and joined[-1:].isalnum() and ln[:1].isascii() and ln[:1].isalnum() \
                else ""
            joined += gap + ln
        out.append(joined)
    return "\n\n".join(out) + "\n"


def _docx(path: Path, raw: bytes) -> Source:
    from io import BytesIO
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(BytesIO(raw))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(f"{path}: not a readable .docx file ({exc})") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text.strip())
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(c for c in row.cells))  # merged cells repeat
                lines.append("\t".join(" ".join(c.text.split()) for c in cells))
    return Source("\n\n".join(ln for ln in lines if ln) + "\n", "docx", "text taken from the Word document")


#: Attributes by which government CMSs mark an article's body (TRS, 政府网站集约化平台, common templates).
_BODY_MARKS = re.compile(r"(?i)\b(TRS_Editor|TRS_UEDITOR|article|content|zoom|zw|pages_content|view|detail|main-text|"
                         r"xxgk|wenzhang|conTxt|Custom_UnionStyle)")
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "select", "option", "button", "form", "iframe"}
_BREAKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
           "blockquote", "center"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "embed", "source", "wbr"}


class _Article(HTMLParser):
    """Collects text per element, so the body can be picked: the marked content element, else the densest block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, list[str]]] = []  # (tag, marked, text pieces)
        self.skip = 0
        self.title: str = ""
        self.in_title = False
        self.blocks: list[tuple[bool, int, str]] = []  # (marked, CJK count, text) of every closed element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag == "br" and self.stack:
                self.stack[-1][2].append("\n")
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("id", "class"))
        self.stack.append((tag, bool(_BODY_MARKS.search(marks)), ["\n"] if tag in _BREAKS else []))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag in _VOID or not any(t == tag for t, _m, _p in self.stack):
            return
        while self.stack:
            t, marked, pieces = self.stack.pop()
            if tag in _BREAKS or t in _BREAKS:
                pieces.append("\n")
            text = "".join(pieces)
            self.blocks.append((marked, len(_CJK.findall(text)), text))
            if self.stack:
                self.stack[-1][2].append(text)
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.skip or not self.stack:
            return
        self.stack[-1][2].append(data)


def html_article_text(page: str) -> str:
    """The article body of a web page as lines of text."""
    parser = _Article()
    parser.feed(page)
    parser.close()
    while parser.stack:
        parser.handle_endtag(parser.stack[-1][0])
    if not parser.blocks:
        return ""
    total = max(n for _m, n, _t in parser.blocks)
    marked = [b for b in parser.blocks if b[0] and b[1] >= 0.5 * total]
    # the innermost marked element that still holds most of the text, else the whole page's densest block
    body = min(marked, key=lambda b: b[1])[2] if marked else max(parser.blocks, key=lambda b: b[1])[2]
    lines = [" ".join(ln.split()) for ln in body.replace("\xa0", " ").split("\n")]
    return "\n\n".join(ln for ln in lines if ln) + "\n"
