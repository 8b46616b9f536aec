"""The results report and the standing board's decision as editable Word files (common.wordfile), with the same
header, figures and lists as the HTML and PDF documents."""

from django.utils.translation import gettext as _

from assessments.common.vocabulary import number_text, percent_text
from assessments.common.wordfile import PartyDocument
from assessments.reports.decision import decision_context
from assessments.reports.list_tables import ListTable, list_tables, score_band_table
from assessments.reports.renderers import document_context
from assessments.reports.rows import Report, leadership_lines


def _unit_rows(report: Report, rows) -> list[list]:
    out = []
    for row in rows:
        line = [row.label, number_text(row.total), number_text(row.rated)]
        for cell in row.cells:
            line += [number_text(cell.count), percent_text(cell.of_total)]
        out.append([*line, number_text(row.exemplary)])
    return out


def _leadership_add(doc: PartyDocument, report: Report) -> None:
    """Issue 16: the subtree's leadership collectives and leaders by level, one table each (a collective's levels are
    the units', a leader's the members')."""
    doc.heading(_("Tập thể, cá nhân lãnh đạo, quản lý theo mức xếp loại"))
    for row in report.leadership_rated:
        doc.table(
            [row.label, _("Số lượng"), _("% trên số đã xếp loại")],
            [
                [label, number_text(count), percent_text(share) if share is not None else ""]
                for label, count, share in leadership_lines(row)
            ],
        )
    doc.paragraph(_("Tỷ lệ các mức tính trên số đã xếp loại."), italic=True)


def _table_add(doc: PartyDocument, table: ListTable) -> None:
    """A plain table (reports.list_tables): its columns' labels, then its rows, counts written the Vietnamese way."""
    doc.table(
        [column.label for column in table.columns],
        [
            [number_text(v) if column.kind == "int" else v for v, column in zip(row, table.columns, strict=True)]
            for row in table.rows
        ],
    )


def _list_tables_add(doc: PartyDocument, tables: list[ListTable]) -> None:
    """The year's lists (reports.list_tables), one table each; "Không có." for an empty one."""
    doc.heading(_("DANH SÁCH KÈM THEO"))
    for table in tables:
        doc.heading(table.heading)
        if table.rows:
            _table_add(doc, table)
        else:
            doc.paragraph(_("Không có."), italic=True)


def report_docx(report: Report, *, tables: list[ListTable] | None = None, **document) -> bytes:
    """The results report as a .docx: its header, the figures of sections I–III, the annex tables and the year's
    lists (`tables`: reports.list_tables, made here when not given)."""
    context = document_context(report, **document)
    word = report.rating_word
    doc = PartyDocument(
        header=context["doc"],
        doc_date=context["doc_date"],
        doc_type="BÁO CÁO",
        summary=_("Kết quả đánh giá, %(word)s chất lượng tổ chức đảng và đảng viên năm %(year)s")
        % {"word": word, "year": report.year},
    )
    units, members = report.units_total, report.members_total
    doc.heading(_("I. Kết quả đánh giá, xếp loại tổ chức đảng"))
    doc.paragraph(
        _("Tổng số tổ chức đảng trực thuộc: %(total)s; đã xếp loại: %(rated)s; chưa xếp loại: %(not_rated)s.")
        % {
            "total": number_text(units.total),
            "rated": number_text(units.rated),
            "not_rated": number_text(units.not_rated),
        }
    )
    for cell in units.cells:
        doc.paragraph(f"- {cell.level.label}: {number_text(cell.count)} ({percent_text(cell.of_total)})")
    doc.heading(_("II. Kết quả đánh giá, xếp loại đảng viên"))
    doc.paragraph(
        _(
            "Tổng số đảng viên trong danh sách ngày 31 tháng 12: %(total)s; được đánh giá, %(word)s: %(rated)s; "
            "không đánh giá: %(not_assessed)s; chưa %(word)s: %(not_yet)s; chưa có kết quả: %(no_result)s."
        )
        % {
            "total": number_text(members.total),
            "rated": number_text(members.rated),
            "word": word,
            "not_assessed": number_text(members.not_assessed),
            "not_yet": number_text(members.not_yet_rated),
            "no_result": number_text(members.no_result),
        }
    )
    for cell in members.cells:
        doc.paragraph(f"- {cell.level.label}: {number_text(cell.count)} ({percent_text(cell.of_rated)})")
    if report.score_bands:
        bands = score_band_table(report)
        doc.heading(bands.heading)
        _table_add(doc, bands)
    if report.leadership_rated:
        _leadership_add(doc, report)
    if report.comparison is not None:
        doc.heading(_("III. So sánh với năm %(year)s") % {"year": report.comparison.previous_year})
        doc.paragraph(report.comparison.note, italic=True)
        doc.table(
            [_("Chỉ tiêu"), str(report.comparison.previous_year), str(report.year), _("Chênh lệch (điểm %)")],
            [
                [
                    line.label,
                    f"{line.previous_level_labels}: {percent_text(line.previous)}",
                    f"{line.current_level_labels}: {percent_text(line.current)}",
                    line.difference_text,
                ]
                for line in report.comparison.lines
            ],
        )
    doc.closing()
    doc.heading(_("PHỤ LỤC: SỐ LIỆU CHI TIẾT NĂM %(year)s") % {"year": report.year})
    level_headers = [h for lv in report.unit_levels for h in (lv.label, "%")]
    doc.table(
        [_("Loại hình"), _("Tổng số"), _("Đã xếp loại"), *level_headers, _("Tiêu biểu")],
        _unit_rows(report, [*report.units_by_sector, units]),
    )
    scored = report.scheme.is_scored  # a scored year shows each unit's score (issue 15)
    doc.table(
        [
            _("STT"),
            _("Tổ chức đảng"),
            _("Tự đánh giá"),
            _("Cấp ủy quyết định"),
            *([_("Điểm")] if scored else []),
            _("Đảng viên"),
            _("Được xếp loại"),
        ],
        [
            [
                row.number,
                row.name,
                row.self_level_label,
                row.result_label,
                *([row.score_text] if scored else []),
                number_text(row.members.total),
                number_text(row.members.rated),
            ]
            for row in report.unit_annex
        ],
    )
    if tables is None:  # the document's context has read the overrides already
        tables = list_tables(organization=report.organization, year=report.year, overrides=context["overrides"])
    _list_tables_add(doc, tables)
    return doc.content()


def decision_docx(report: Report, **document) -> bytes:
    """The standing board's decision recognizing the year's results, with its attached list, as a .docx."""
    context = decision_context(report, **document)
    doc = PartyDocument(
        header=context["doc"],
        doc_date=context["doc_date"],
        doc_type="QUYẾT ĐỊNH",
        summary=_("công nhận kết quả đánh giá, %(word)s chất lượng tổ chức đảng và đảng viên năm %(year)s")
        % {"word": report.rating_word, "year": report.year},
    )
    doc.paragraph(context["decider"], bold=True, center=True)
    doc.paragraph(_("- Căn cứ Điều lệ Đảng;"))
    doc.paragraph(_("- Căn cứ %(scheme)s;") % {"scheme": report.scheme.name})
    doc.paragraph(_("- Xét đề nghị của Ban Tổ chức %(body)s,") % {"body": context["body"]})
    doc.paragraph(_("QUYẾT ĐỊNH"), bold=True, center=True)
    for article in context["articles"]:
        doc.article(article.title, article.text)
    doc.closing()
    doc.heading(
        _("DANH SÁCH TỔ CHỨC ĐẢNG ĐƯỢC CÔNG NHẬN KẾT QUẢ ĐÁNH GIÁ, %(word)s NĂM %(year)s")
        % {"word": report.rating_word.upper(), "year": report.year}
    )
    doc.paragraph(
        _("(Kèm theo Quyết định %(number)s, %(date)s)")
        % {"number": context["doc"]["number"], "date": context["doc_date"]},
        italic=True,
        center=True,
    )
    doc.table(
        [_("STT"), _("Tổ chức đảng"), _("Loại"), _("Tự đánh giá"), _("Kết quả công nhận"), _("Tiêu biểu")],
        [
            [
                row.number,
                row.name,
                row.kind_label,
                row.self_level_label,
                row.result_label,
                row.exemplary_label,
            ]
            for row in context["rows"]
        ],
    )
    return doc.content()
