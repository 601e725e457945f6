"""The periodic report as an office files it: Excel, CSV and PDF (landscape A4, national header).

One column list (``COLUMNS``) drives the web table and every export, so they always agree.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.reports.models import Indicator


@dataclass(frozen=True)
class Column:
    key: str            # a Figures attribute
    header: str
    group: str
    measure: str = ""   # the dossier list behind the figure ("" when none)
    kind: str = "int"   # int | days | pct


def _c(key, header, group, measure=None, kind="int"):
    return Column(key, header, group, key if measure is None else measure, kind)


G_RECEIVED = gettext_lazy("Số hồ sơ nhận giải quyết")
G_DONE = gettext_lazy("Số hồ sơ đã giải quyết")
G_OPEN = gettext_lazy("Số hồ sơ đang giải quyết")
G_OTHER = gettext_lazy("Hồ sơ khác")
G_RATES = gettext_lazy("Thời gian và tỉ lệ")

COLUMNS = [
    _c("total", gettext_lazy("Tổng số"), G_RECEIVED, ""),
    _c("carried", gettext_lazy("Kỳ trước chuyển sang"), G_RECEIVED),
    _c("received", gettext_lazy("Mới tiếp nhận"), G_RECEIVED),
    _c("rc_counter", gettext_lazy("Trực tiếp"), G_RECEIVED),
    _c("rc_online", gettext_lazy("Trực tuyến"), G_RECEIVED),
    _c("rc_post", gettext_lazy("Bưu chính"), G_RECEIVED),
    _c("finished", gettext_lazy("Tổng số"), G_DONE),
    _c("f_early", gettext_lazy("Trước hạn"), G_DONE),
    _c("f_on_time", gettext_lazy("Đúng hạn"), G_DONE),
    _c("f_late", gettext_lazy("Quá hạn"), G_DONE),
    _c("f_refused", gettext_lazy("Trong đó từ chối"), G_DONE),
    _c("in_progress", gettext_lazy("Tổng số"), G_OPEN),
    _c("within", gettext_lazy("Trong hạn"), G_OPEN),
    _c("overdue", gettext_lazy("Quá hạn"), G_OPEN),
    _c("stopped", gettext_lazy("Dừng giải quyết (rút)"), G_OTHER),
    _c("closed", gettext_lazy("Kết thúc do không bổ sung"), G_OTHER),
    _c("supplements", gettext_lazy("Yêu cầu bổ sung"), G_OTHER),
    _c("apologies", gettext_lazy("Văn bản xin lỗi"), G_OTHER),
    _c("avg_days", gettext_lazy("Thời gian giải quyết bình quân (ngày)"), G_RATES, "", "days"),
    _c("allowed_days", gettext_lazy("Thời hạn quy định bình quân (ngày)"), G_RATES, "", "days"),
    _c("on_time_rate", gettext_lazy("Tỉ lệ đúng hạn (%)"), G_RATES, "", "pct"),
    _c("online_share", gettext_lazy("Tỉ lệ nộp trực tuyến (%)"), G_RATES, "", "pct"),
    _c("post_received_share", gettext_lazy("Tỉ lệ tiếp nhận qua bưu chính (%)"), G_RATES, "", "pct"),
    _c("post_returned_share", gettext_lazy("Tỉ lệ trả kết quả qua bưu chính (%)"), G_RATES, "", "pct"),
    _c("satisfaction_rate", gettext_lazy("Tỉ lệ hài lòng (%)"), G_RATES, "", "pct"),
]


def header_groups():
    """[(group label, span)] in column order, for two-row table headers."""
    groups = []
    for column in COLUMNS:
        if groups and groups[-1][0] == column.group:
            groups[-1][1] += 1
        else:
            groups.append([column.group, 1])
    return [(str(g), n) for g, n in groups]


def vn_number(value, kind="int") -> str:
    """Vietnamese notation: 12.345 and 97,5; "—" for no value."""
    if value is None:
        return "—"
    if kind == "int":
        return f"{int(value):,}".replace(",", ".")
    text = f"{Decimal(value):,.1f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def cells(row) -> list:
    return [getattr(row, c.key) for c in COLUMNS]


def _assessment_text(a) -> str:
    if a.met is None:
        return _("Chưa đủ số liệu") if a.target is not None else _("Chưa đặt chỉ tiêu")
    return _("Đạt") if a.met else _("Chưa đạt")


def indicator_rows(report) -> list[list[str]]:
    rows = []
    for a in list(report.indicators) + list(report.field_indicators):
        label = a.label + (f" — {a.scope}" if a.scope else "")
        rows.append([label, vn_number(a.value, "pct"), ("≥ " + vn_number(a.target, "pct")) if a.target is not None
                     else "—", _assessment_text(a)])
    return rows


def filename(report, ext) -> str:
    sel = report.selection
    who = sel.agency.code if sel.agency else "toan-tinh"
    return f"bao-cao-tthc-{who}-{sel.period.start:%Y%m%d}-{sel.period.end:%Y%m%d}.{ext}"


def title_lines(report) -> list[str]:
    sel = report.selection
    as_of = timezone.localtime(report.as_of)
    return [
        _("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
        _("Kỳ báo cáo: %(period)s (từ %(a)s đến %(b)s)") % {
            "period": sel.period.label, "a": sel.period.start.strftime("%d/%m/%Y"),
            "b": sel.period.end.strftime("%d/%m/%Y")},
        _("Phạm vi: %(scope)s; nhóm theo: %(group)s; số liệu tính đến %(at)s") % {
            "scope": sel.title, "group": str(report.group_label).lower(), "at": as_of.strftime("%H:%M %d/%m/%Y")},
    ]


# ------------------------------------------------------------------------------------------- Excel


def xlsx(report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Báo cáo TTHC"))
    n = len(COLUMNS) + 2
    last = get_column_letter(n)
    ws["A1"] = report.issuer_upper
    ws["A1"].font = Font(bold=True)
    ws[f"{get_column_letter(n - 7)}1"] = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ws[f"{get_column_letter(n - 7)}1"].font = Font(bold=True)
    ws[f"{get_column_letter(n - 7)}2"] = _("Độc lập - Tự do - Hạnh phúc")
    ws[f"{get_column_letter(n - 7)}2"].font = Font(bold=True)
    for i, line in enumerate(title_lines(report), start=4):
        ws[f"A{i}"] = line
        ws[f"A{i}"].alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A{i}:{last}{i}")
    ws["A4"].font = Font(bold=True, size=14)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = 8
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def header(row, col, value, span=1, rows=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font, cell.alignment, cell.border = Font(bold=True), centred, border
        if span > 1 or rows > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + span - 1)
        for r in range(row, row + rows):
            for c in range(col, col + span):
                ws.cell(row=r, column=c).border = border

    header(head, 1, _("STT"), rows=2)
    header(head, 2, str(report.group_label), rows=2)
    col = 3
    for label, span in header_groups():
        header(head, col, label, span=span)
        col += span
    for i, column in enumerate(COLUMNS, start=3):
        header(head + 1, i, str(column.header))
    number = {"int": "#,##0", "days": "0.0", "pct": "0.0"}

    def write(r, values, label, stt, bold=False):
        ws.cell(row=r, column=1, value=stt).border = border
        ws.cell(row=r, column=2, value=label).border = border
        ws.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        for i, (column, value) in enumerate(zip(COLUMNS, values), start=3):
            cell = ws.cell(row=r, column=i, value=float(value) if isinstance(value, Decimal) else value)
            cell.number_format, cell.border = number[column.kind], border
            if bold:
                cell.font = Font(bold=True)
        if bold:
            ws.cell(row=r, column=2).font = Font(bold=True)

    r = head + 2
    for stt, row in enumerate(report.rows, start=1):
        write(r, cells(row), row.label, stt)
        r += 1
    write(r, cells(report.total), str(_("Tổng cộng")), "", bold=True)
    r += 2
    ws.cell(row=r, column=2, value=_("Chỉ tiêu cải cách hành chính")).font = Font(bold=True)
    r += 1
    for values in [[_("Chỉ tiêu"), _("Kết quả (%)"), _("Chỉ tiêu (%)"), _("Đánh giá")]] + indicator_rows(report):
        for i, value in enumerate(values):
            cell = ws.cell(row=r, column=2 + (i and i + 1), value=value)
            cell.border = border
        r += 1
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 42
    for i in range(3, n + 1):
        ws.column_dimensions[get_column_letter(i)].width = 11
    ws.row_dimensions[head + 1].height = 60
    ws.freeze_panes = ws.cell(row=head + 2, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- CSV


def csv_bytes(report) -> bytes:
    """UTF-8 with BOM, ``;`` between fields and decimal commas: what Excel in Vietnamese opens as is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for line in title_lines(report):
        writer.writerow([line])
    writer.writerow([_("STT"), str(report.group_label), _("Mã")] +
                    [f"{c.group} - {c.header}" for c in COLUMNS])

    def plain(value, kind):
        if value is None:
            return ""
        return str(int(value)) if kind == "int" else f"{Decimal(value):.1f}".replace(".", ",")

    for stt, row in enumerate(report.rows, start=1):
        writer.writerow([stt, row.label, row.code] + [plain(v, c.kind) for v, c in zip(cells(row), COLUMNS)])
    writer.writerow(["", _("Tổng cộng"), ""] + [plain(v, c.kind) for v, c in zip(cells(report.total), COLUMNS)])
    writer.writerow([])
    writer.writerow([_("Chỉ tiêu"), _("Kết quả (%)"), _("Chỉ tiêu (%)"), _("Đánh giá")])
    for values in indicator_rows(report):
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ------------------------------------------------------------------------------------------- PDF


def pdf_context(report) -> dict:
    from motcua.forms_print.services import vn_long_date
    lines = title_lines(report)
    rows = [{"stt": i, "label": r.label, "cells": [vn_number(v, c.kind) for v, c in zip(cells(r), COLUMNS)]}
            for i, r in enumerate(report.rows, start=1)]
    return {
        "title": lines[0], "subtitle_lines": lines[1:], "form_number": "",
        "issuer_parent_upper": report.issuer_parent_upper, "issuer_upper": report.issuer_upper,
        "place_date": f"{report.place}, {vn_long_date(report.generated_at)}", "code": "",
        "groups": header_groups(), "columns": [str(c.header) for c in COLUMNS], "rows": rows,
        "total": [vn_number(v, c.kind) for v, c in zip(cells(report.total), COLUMNS)],
        "group_label": report.group_label, "indicators": indicator_rows(report),
        "indicator_names": dict(Indicator.choices), "col_width": round(82.5 / len(COLUMNS), 2),
    }


def pdf(report) -> bytes:
    from motcua.forms_print.render import render_pdf
    return render_pdf("reports/print.html", pdf_context(report))


def sign_as(report, user) -> None:
    """The issuing agency printed on the report: the one reported on, else the user's own."""
    from motcua.forms_print.services import issuer_lines, place_name
    from motcua.orgs.models import Agency
    agency = report.selection.agency
    if agency is None:
        agency = Agency.objects.filter(staff_roles__user=user).exclude(kind=Agency.Kind.INTERNAL_UNIT) \
            .select_related("unit", "parent").order_by("id").first() if user.is_authenticated else None
    if agency is None:
        report.issuer_parent_upper, report.issuer_upper, report.place = "", "", ""
        return
    report.issuer_parent_upper, report.issuer_upper = issuer_lines(agency)
    report.place = place_name(agency)


WEB_ROWS = 300  # the page shows the largest rows; the exports carry them all


def web_rows(report) -> list[dict]:
    """The web table's rows, formatted once: label and [(text, dossier list URL or "")] per column."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from motcua.reports.services import row_filters
    sel = report.selection
    base = reverse("reports:dossiers")

    def one(row, filters):
        query = urlencode(sel.query(nhom=None, **filters))
        cells = []
        for c in COLUMNS:
            value = getattr(row, c.key)
            # Only figures with dossiers behind them link to the list.
            cells.append((vn_number(value, c.kind), f"{base}?{query}&chi-so={c.measure}" if c.measure and value else ""))
        return cells

    rows = [{"label": r.label, "cells": one(r, row_filters(sel, r))} for r in report.rows[:WEB_ROWS]]
    return rows + [{"label": str(_("Tổng cộng")), "cells": one(report.total, {}), "total": True}]
