"""Editable Word files (python-docx) in the party document layout of Hướng dẫn 36-HD/VPTW: the issuer and number
top left, "ĐẢNG CỘNG SẢN VIỆT NAM" with the place and date top right, the type and summary centred, the body and
tables, the recipients and the signature block. Districts finish their documents in Word; every table cell's text
goes through common.spreadsheets.cell_escape, as tables are pasted into spreadsheets."""

import io

from assessments.common.spreadsheets import cell_escape

FONT = "Times New Roman"


class PartyDocument:
    """A party document being written; `content()` gives the .docx bytes."""

    def __init__(self, *, header: dict, doc_date: str, doc_type: str, summary: str, landscape_tables: bool = False):
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        self._align, self._pt, self._cm = WD_ALIGN_PARAGRAPH, Pt, Cm
        self.document = Document()
        style = self.document.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(13)
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        top = self.document.add_table(rows=1, cols=2)
        left, right = top.rows[0].cells
        self._lines(left, [header.get("parent_body", ""), header["issuing_body"]], bold_last=True)
        self._lines(left, ["*", header["number"]])
        self._lines(right, ["ĐẢNG CỘNG SẢN VIỆT NAM"], bold_last=True, underline=True)
        self._lines(right, [f"{header['place']}, {doc_date}"], italic=True)
        self.paragraph("")
        self.paragraph(doc_type, bold=True, center=True, size=14)
        self.paragraph(summary, bold=True, center=True)
        self.paragraph("-----", center=True)
        self.header = header

    def _lines(self, cell, lines, *, bold_last=False, italic=False, underline=False) -> None:
        for i, text in enumerate(line for line in lines if line):
            paragraph = cell.add_paragraph() if cell.paragraphs[0].text or i else cell.paragraphs[0]
            paragraph.alignment = self._align.CENTER
            run = paragraph.add_run(text)
            run.bold = bold_last and i == len([x for x in lines if x]) - 1
            run.italic, run.underline = italic, underline

    def paragraph(self, text: str, *, bold=False, italic=False, center=False, size=None) -> None:
        paragraph = self.document.add_paragraph()
        if center:
            paragraph.alignment = self._align.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = self._pt(size)

    def article(self, title: str, text: str) -> None:
        """An article of a decision: its title in bold, then its text, in one paragraph."""
        paragraph = self.document.add_paragraph()
        paragraph.add_run(title).bold = True
        paragraph.add_run(f" {text}")

    def heading(self, text: str) -> None:
        self.paragraph(text, bold=True)

    def table(self, headers: list[str], rows: list[list]) -> None:
        """A bordered table; numbers stay numbers in the text, every text goes through cell_escape."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = cell_escape(str(text))
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = cell_escape("" if value is None else str(value))
        self.paragraph("")

    def closing(self) -> None:
        """Recipients bottom left, the signature block bottom right."""
        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.paragraphs[0].add_run("Nơi nhận:").italic = True
        for line in self.header["recipient_lines"]:
            left.add_paragraph(f"- {line}")
        self._lines(right, [self.header["signature_for"], self.header["signer_post"]], bold_last=True)
        self._lines(right, ["", "", self.header["signer_name"]], bold_last=True)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
