"""Word documents in the layout of an administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I), and
their conversion to PDF through LibreOffice where it is installed.

A4 portrait, Times New Roman, margins 20/20/30/15 mm; a two-column header (the parent authority and the
agency with its number and symbol on the left, the national title and motto with place and date on
the right); a bold title; justified body paragraphs with a first-line indent; recipients bottom left,
signature bottom right. Layout facts from the decree's appendix as summarised in domain-brief §11.
"""

import datetime
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"


class ConversionUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Letterhead:
    parent_authority: str  # "UBND THÀNH PHỐ HẢI PHÒNG"
    agency: str  # "SỞ NỘI VỤ"
    number_symbol: str  # "Số:      /BC-SNV"
    place: str  # "Hải Phòng"
    day: datetime.date


def new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    # East-Asian font slot too, or Word falls back to another face for Vietnamese letters.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.15
    return document


def _text(paragraph, text: str, *, bold=False, italic=False, size=None, caps=False):
    run = paragraph.add_run(text.upper() if caps else text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return run


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: Word reads the cells', LibreOffice the grid's, so set both."""
    table.autofit = False
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)


def _centred(cell, lines):
    cell.paragraphs[0].text = ""
    first = True
    for text, options in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _text(paragraph, text, **options)


def add_letterhead(document, head: Letterhead) -> None:
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [6.5, 10])
    left, right = table.rows[0].cells
    _centred(
        left,
        [
            (head.parent_authority.upper(), {"size": 12}),
            (head.agency.upper(), {"bold": True, "size": 13}),
            ("—————", {"size": 10}),
        ],
    )
    _centred(
        right,
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 12}),
            ("Độc lập - Tự do - Hạnh phúc", {"bold": True, "size": 14}),
            ("———————————", {"size": 10}),
        ],
    )
    number, place = table.rows[1].cells
    _centred(number, [(head.number_symbol, {"size": 13})])
    _centred(
        place,
        [
            (
                f"{head.place}, ngày {head.day.day:02d} tháng {head.day.month:02d} năm {head.day.year}",
                {"italic": True, "size": 14},
            )
        ],
    )


def add_title(document, title: str, subject: str) -> None:
    for text, size in ((title, 14), (subject, 14)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _text(paragraph, text, bold=True, size=size)
    document.add_paragraph()


def add_heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Cm(1)
    _text(paragraph, text, bold=True)


def add_body(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1)
    _text(paragraph, text)


def add_table(
    document, header: list[str], rows: list[list[str]], *, widths_cm: list[float], size: int = 11
) -> None:
    """A bordered table; numbers right-aligned, the first two columns left."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, text in enumerate(header):
        cell = table.rows[0].cells[index]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(cell.paragraphs[0], text, bold=True, size=size)
    for row_index, values in enumerate(rows, start=1):
        for index, text in enumerate(values):
            paragraph = table.rows[row_index].cells[index].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if index < 2 else WD_ALIGN_PARAGRAPH.RIGHT
            _text(paragraph, text, size=size)
    _widths(table, widths_cm)


def add_closing(document, *, recipients: list[str], signing: list[str], signer: str) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8, 8.5])
    left, right = table.rows[0].cells
    left.paragraphs[0].paragraph_format.space_after = Pt(0)
    _text(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for line in recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _text(paragraph, line, size=11)
    _centred(
        right,
        [
            *[(line, {"bold": True, "size": 13}) for line in signing],
            ("", {}),
            ("", {}),
            ("", {}),
            (signer, {"bold": True, "size": 14}),
        ],
    )


def convert_to_pdf(docx_path: Path, pdf_path: Path, *, timeout: int = 120) -> None:
    """LibreOffice headless, when installed; otherwise a clear refusal rather than a missing file."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise ConversionUnavailable(
            "Máy chủ chưa cài LibreOffice nên không xuất được PDF; hãy tải bản Word. / "
            "LibreOffice is not installed on the server, so no PDF can be made; download the Word file."
        )
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                out,
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        produced = Path(out) / (docx_path.stem + ".pdf")
        # LibreOffice exits 0 without writing anything when it cannot open the document, as on a
        # server with only LibreOffice Calc installed (Debian splits Writer into its own package).
        if not produced.exists():
            raise ConversionUnavailable(
                "LibreOffice không tạo được tệp PDF (máy chủ có thể thiếu LibreOffice Writer); hãy tải bản "
                "Word. / LibreOffice made no PDF (LibreOffice Writer may be missing on the server); download "
                "the Word file."
            )
        shutil.move(str(produced), pdf_path)
