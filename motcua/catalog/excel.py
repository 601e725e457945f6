"""Excel import and export of the procedure catalogue, in the layout provinces publish.

Workbook layout (headers on one row; title rows above it are allowed and ignored):

* ``Danh mục TTHC``: STT, Mã TTHC, Tên thủ tục hành chính, Lĩnh vực, Cấp thực hiện,
  Cơ quan thực hiện (agency codes separated by ";"), Thời hạn giải quyết, Đơn vị thời hạn,
  Phí/lệ phí (đồng), Mô tả phí, Kết quả, Căn cứ pháp lý, Mức độ DVC trực tuyến,
  Tiếp nhận qua BCCI (Có/Không), Trả kết quả qua BCCI, Liên thông — plus a few optional
  columns we also export (Cơ quan có thẩm quyền, Đối tượng thực hiện, Yêu cầu, điều kiện,
  Trình tự thực hiện, Trả kết quả trong ngày).
* ``Thành phần hồ sơ``: Mã TTHC, Tên giấy tờ, Số bản chính, Số bản sao, Bắt buộc (+ Mẫu đơn, tờ khai).
* ``Quy trình``: Mã TTHC, Bước, Tên bước, Nơi thực hiện, Mã cơ quan, Vai trò, Thời gian
  (+ Phòng, bộ phận, Bước liên thông).
* ``Lĩnh vực`` (optional): Mã lĩnh vực, Tên lĩnh vực, Đất đai/nhà ở — keeps field codes on a round trip.

Import checks every row first and reports every problem as "Dòng 7, cột Thời hạn giải
quyết: 'mười' không phải là số."; then creates and publishes all versions in one
transaction, so a single bad row (or a process that does not add up) imports nothing.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field as dc_field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from motcua.catalog import services
from motcua.catalog.models import (
    Field, OnlineLevel, Procedure, ProcedureVersion, ProcessStep, PublicationDecision, RequiredDocument,
    TimeUnit,
)
from motcua.orgs.models import AdminUnit, Agency, Role
from motcua.text import fold

MAIN_SHEET = "Danh mục TTHC"
DOCS_SHEET = "Thành phần hồ sơ"
STEPS_SHEET = "Quy trình"
FIELDS_SHEET = "Lĩnh vực"

# (header, required column?) — headers are matched on their folded start, so
# "Cơ quan thực hiện (mã định danh, …)" is the column "Cơ quan thực hiện".
MAIN_COLUMNS = [
    ("STT", False), ("Mã TTHC", True), ("Tên thủ tục hành chính", True), ("Lĩnh vực", True),
    ("Cấp thực hiện", True), ("Cơ quan thực hiện", True), ("Thời hạn giải quyết", True),
    ("Đơn vị thời hạn", True), ("Phí/lệ phí (đồng)", True), ("Mô tả phí", True), ("Kết quả", True),
    ("Căn cứ pháp lý", True), ("Mức độ DVC trực tuyến", True), ("Tiếp nhận qua BCCI", True),
    ("Trả kết quả qua BCCI", True), ("Liên thông", True),
    ("Cơ quan có thẩm quyền", False), ("Đối tượng thực hiện", False), ("Yêu cầu, điều kiện", False),
    ("Trình tự thực hiện", False), ("Trả kết quả trong ngày", False),
]
DOCS_COLUMNS = [("Mã TTHC", True), ("Tên giấy tờ", True), ("Số bản chính", True), ("Số bản sao", True),
                ("Bắt buộc", True), ("Mẫu đơn, tờ khai", False)]
STEPS_COLUMNS = [("Mã TTHC", True), ("Bước", True), ("Tên bước", True), ("Nơi thực hiện", True),
                 ("Mã cơ quan", True), ("Vai trò", True), ("Thời gian", True), ("Phòng, bộ phận", False),
                 ("Bước liên thông", False)]
FIELDS_COLUMNS = [("Mã lĩnh vực", True), ("Tên lĩnh vực", True), ("Đất đai/nhà ở", False)]
EXPORT_HEADERS = {"Cơ quan thực hiện": "Cơ quan thực hiện (mã định danh, phân cách bằng dấu ;)"}

LEVEL_LABELS = {AdminUnit.Level.PROVINCE: "Cấp tỉnh", AdminUnit.Level.DISTRICT: "Cấp huyện",
                AdminUnit.Level.COMMUNE: "Cấp xã"}
LEVEL_ALIASES = {
    **{fold(label): level for level, label in LEVEL_LABELS.items()},
    **{level.value: level for level in AdminUnit.Level},
    "tinh": AdminUnit.Level.PROVINCE, "cap tinh/thanh pho": AdminUnit.Level.PROVINCE,
    "huyen": AdminUnit.Level.DISTRICT, "xa": AdminUnit.Level.COMMUNE, "cap xa/phuong": AdminUnit.Level.COMMUNE,
}
UNIT_LABELS = {TimeUnit.WORKING_DAYS: "Ngày làm việc", TimeUnit.WORKING_HOURS: "Giờ làm việc",
               TimeUnit.CALENDAR_DAYS: "Ngày"}
UNIT_ALIASES = {**{fold(label): unit for unit, label in UNIT_LABELS.items()},
                **{unit.value: unit for unit in TimeUnit}, "ngay lv": TimeUnit.WORKING_DAYS,
                "gio": TimeUnit.WORKING_HOURS, "ngay lich": TimeUnit.CALENDAR_DAYS}
PERFORMER_LABELS = {ProcessStep.Performer.RECEIVING: "Bộ phận một cửa",
                    ProcessStep.Performer.COMPETENT: "Cơ quan có thẩm quyền",
                    ProcessStep.Performer.FIXED: "Cơ quan được chỉ định"}


def _performer_aliases():
    aliases = {fold(label): p for p, label in PERFORMER_LABELS.items()}
    aliases.update({fold(str(p.label)): p for p in ProcessStep.Performer})
    aliases.update({p.value: p for p in ProcessStep.Performer})
    return aliases


def _role_aliases():
    aliases = {r.value: r for r in Role}
    for r in Role:
        label = str(r.label)
        aliases[fold(label)] = r
        aliases[fold(label.split(" (")[0].split(" /")[0])] = r
    return aliases


YES = {"co", "x", "yes", "true", "1"}
NO = {"khong", "", "no", "false", "0"}
THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


class ImportRefused(Exception):
    """Raised inside the import transaction to roll it back."""


@dataclass
class ImportResult:
    errors: list[str] = dc_field(default_factory=list)
    versions: list[ProcedureVersion] = dc_field(default_factory=list)
    decision: PublicationDecision | None = None

    @property
    def ok(self):
        return not self.errors


# --- reading ---------------------------------------------------------------------------------------

class _Sheet:
    """Finds the header row of a worksheet and yields its data rows as ``_Row`` objects."""

    def __init__(self, ws, columns, errors, main=False):
        self.name, self.errors, self.main = ws.title, errors, main
        self.rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        self.columns = {}
        self.header_row = None
        wanted = [(name, required, fold(name)) for name, required in columns]
        for index, row in enumerate(self.rows[:15]):
            folded = [fold(str(v)) if v is not None else "" for v in row]
            found = {}
            for name, _required, key in wanted:
                for pos, cell in enumerate(folded):
                    if cell == key or (cell.startswith(key) and cell[len(key):len(key) + 2].strip() in ("(", "")):
                        found.setdefault(name, pos)
                        break
            if "Mã TTHC" in found or "Mã lĩnh vực" in found:
                self.header_row, self.columns = index, found
                break
        if self.header_row is None:
            errors.append(_("Trang tính “%(sheet)s” không có dòng tiêu đề (cần các cột: %(cols)s).") % {
                "sheet": self.name, "cols": ", ".join(n for n, r in columns if r)})
            return
        for name, required, _key in wanted:
            if required and name not in self.columns:
                errors.append(_("Trang tính “%(sheet)s” thiếu cột “%(col)s”.") % {"sheet": self.name, "col": name})
        if any(required and name not in self.columns for name, required, _ in wanted):
            self.header_row = None

    def __iter__(self):
        if self.header_row is None:
            return
        for index in range(self.header_row + 1, len(self.rows)):
            values = self.rows[index]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield _Row(self, index + 1, values)


class _Row:
    def __init__(self, sheet, number, values):
        self.sheet, self.number, self.values = sheet, number, values
        self.error_count = 0

    def raw(self, col):
        pos = self.sheet.columns.get(col)
        if pos is None or pos >= len(self.values):
            return None
        value = self.values[pos]
        return value.strip() if isinstance(value, str) else value

    def error(self, col, message):
        self.error_count += 1
        if self.sheet.main:
            prefix = _("Dòng %(row)d, cột %(col)s") % {"row": self.number, "col": col}
        else:
            prefix = _("Trang tính “%(sheet)s”, dòng %(row)d, cột %(col)s") % {
                "sheet": self.sheet.name, "row": self.number, "col": col}
        self.sheet.errors.append(f"{prefix}: {message}")

    def text(self, col, required=False, max_length=None):
        value = self.raw(col)
        if value is None or value == "":
            if required:
                self.error(col, _("không được để trống."))
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
        if max_length and len(value) > max_length:
            self.error(col, _("dài quá %(n)d ký tự.") % {"n": max_length})
        return value

    def decimal(self, col, required=True, integer=False):
        value = self.raw(col)
        if value is None or value == "":
            if required:
                self.error(col, _("không được để trống."))
            return None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, (int, float, Decimal)):
            number = Decimal(str(value))
        else:
            text = str(value).replace("\u00a0", " ").strip()
            if integer and THOUSANDS.match(text):
                text = re.sub(r"[.,\s]", "", text)
            try:
                number = Decimal(text.replace(",", "."))
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            self.error(col, _("'%(value)s' không phải là số.") % {"value": value})
            return None
        if number < 0:
            self.error(col, _("'%(value)s' không được là số âm.") % {"value": value})
            return None
        if integer and number != number.to_integral_value():
            self.error(col, _("'%(value)s' không phải là số nguyên.") % {"value": value})
            return None
        return int(number) if integer else number

    def yes_no(self, col, default=False):
        value = self.raw(col)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        key = fold(str(value))
        if key in YES:
            return True
        if key in NO:
            return False if key else default
        self.error(col, _("'%(value)s' không hợp lệ (chỉ nhận Có hoặc Không).") % {"value": value})
        return default

    def choice(self, col, aliases, allowed_labels, required=True):
        value = self.text(col, required=required)
        if not value:
            return None
        found = aliases.get(fold(value))
        if found is None:
            self.error(col, _("'%(value)s' không hợp lệ (chỉ nhận %(allowed)s).") % {
                "value": value, "allowed": ", ".join(allowed_labels)})
        return found


def _field_code(name, taken):
    base = re.sub(r"[^A-Z0-9]+", "_", fold(name).upper()).strip("_")[:36] or "LV"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    taken.add(code)
    return code


def _parse(workbook, errors):
    """Read and check every row. Returns (fields, procedures) specs; appends messages to ``errors``."""
    names = {fold(name): name for name in workbook.sheetnames}
    if fold(MAIN_SHEET) not in names:
        errors.append(_("Tệp không có trang tính “%(sheet)s”.") % {"sheet": MAIN_SHEET})
        return {}, {}

    agencies = {a.code: a for a in Agency.objects.all()}
    online_levels = {}
    for level in OnlineLevel.objects.order_by("-order"):
        online_levels[level.code.lower()] = level
        online_levels[fold(level.name)] = level
    fields_by_key = {}
    for f in Field.objects.all():
        fields_by_key[fold(f.name)] = f
        fields_by_key[f.code.lower()] = f
    taken_codes = set(Field.objects.values_list("code", flat=True))

    # Optional field list: defines codes for fields the database does not have yet.
    if fold(FIELDS_SHEET) in names:
        for row in _Sheet(workbook[names[fold(FIELDS_SHEET)]], FIELDS_COLUMNS, errors):
            code = row.text("Mã lĩnh vực", required=True, max_length=40)
            name = row.text("Tên lĩnh vực", required=True, max_length=200)
            land = row.yes_no("Đất đai/nhà ở")
            if code and name and fold(name) not in fields_by_key and code.lower() not in fields_by_key:
                spec = Field(code=code, name=name, is_land_or_housing=land)
                fields_by_key[fold(name)] = fields_by_key[code.lower()] = spec
                taken_codes.add(code)

    level_labels = list(LEVEL_LABELS.values())
    unit_labels = list(UNIT_LABELS.values())
    procedures = {}
    for row in _Sheet(workbook[names[fold(MAIN_SHEET)]], MAIN_COLUMNS, errors, main=True):
        code = row.text("Mã TTHC", required=True, max_length=40)
        if code in procedures:
            row.error("Mã TTHC", _("mã '%(code)s' đã có ở dòng %(row)d.") % {
                "code": code, "row": procedures[code]["row"]})
        name = row.text("Tên thủ tục hành chính", required=True, max_length=500)
        field_name = row.text("Lĩnh vực", required=True, max_length=200)
        field = None
        if field_name:
            field = fields_by_key.get(fold(field_name)) or fields_by_key.get(field_name.lower())
            if field is None:
                field = Field(code=_field_code(field_name, taken_codes), name=field_name)
                fields_by_key[fold(field_name)] = field
        levels = []
        for part in re.split(r"[;,]", row.text("Cấp thực hiện", required=True)):
            if not part.strip():
                continue
            level = LEVEL_ALIASES.get(fold(part))
            if level is None:
                row.error("Cấp thực hiện", _("'%(value)s' không hợp lệ (chỉ nhận %(allowed)s).") % {
                    "value": part.strip(), "allowed": ", ".join(level_labels)})
            elif level not in levels:
                levels.append(level)
        agency_list = []
        for part in re.split(r"[;,\n]", row.text("Cơ quan thực hiện", required=True)):
            part = part.strip()
            if not part:
                continue
            if part not in agencies:
                row.error("Cơ quan thực hiện", _("không có cơ quan có mã định danh '%(code)s'.") % {"code": part})
            elif agencies[part] not in agency_list:
                agency_list.append(agencies[part])
        time_value = row.decimal("Thời hạn giải quyết")
        if time_value is not None and time_value >= Decimal("100000"):
            row.error("Thời hạn giải quyết", _("'%(value)s' quá lớn.") % {"value": time_value})
        time_unit = row.choice("Đơn vị thời hạn", UNIT_ALIASES, unit_labels, required=False) or TimeUnit.WORKING_DAYS
        fee = row.decimal("Phí/lệ phí (đồng)", required=False, integer=True) or 0
        online_name = row.text("Mức độ DVC trực tuyến")
        online_level = None
        if online_name:
            online_level = online_levels.get(fold(online_name)) or online_levels.get(online_name.lower())
            if online_level is None:
                row.error("Mức độ DVC trực tuyến", _("không có mức độ '%(value)s' (có: %(allowed)s).") % {
                    "value": online_name,
                    "allowed": ", ".join(sorted({lv.name for lv in online_levels.values()})) or "—"})
        spec = {
            "row": row.number, "code": code, "field": field, "agencies": agency_list, "documents": [],
            "steps": [],
            "values": dict(
                name=name, levels=levels, time_value=time_value, time_unit=time_unit, fee_amount=fee,
                fee_description=row.text("Mô tả phí"), result_name=row.text("Kết quả", required=True,
                                                                             max_length=500),
                legal_basis=row.text("Căn cứ pháp lý"), online_level=online_level,
                postal_reception=row.yes_no("Tiếp nhận qua BCCI"), postal_return=row.yes_no("Trả kết quả qua BCCI"),
                inter_agency=row.yes_no("Liên thông"),
                competent_authority=row.text("Cơ quan có thẩm quyền", max_length=300),
                applicant_types=row.text("Đối tượng thực hiện", max_length=200) or "Công dân Việt Nam",
                requirements=row.text("Yêu cầu, điều kiện"), steps_description=row.text("Trình tự thực hiện"),
                on_the_spot=row.yes_no("Trả kết quả trong ngày"),
            ),
        }
        if not levels and row.text("Cấp thực hiện"):
            pass  # already reported
        if code and code not in procedures:
            procedures[code] = spec

    def owner(row):
        code = row.text("Mã TTHC", required=True)
        if code and code not in procedures:
            row.error("Mã TTHC", _("mã '%(code)s' không có trong trang tính “%(sheet)s”.") % {
                "code": code, "sheet": MAIN_SHEET})
            return None
        return procedures.get(code)

    if fold(DOCS_SHEET) in names:
        for row in _Sheet(workbook[names[fold(DOCS_SHEET)]], DOCS_COLUMNS, errors):
            spec = owner(row)
            document = dict(
                name=row.text("Tên giấy tờ", required=True, max_length=500),
                originals=row.decimal("Số bản chính", required=False, integer=True) or 0,
                copies=row.decimal("Số bản sao", required=False, integer=True) or 0,
                mandatory=row.yes_no("Bắt buộc", default=True),
                form_name=row.text("Mẫu đơn, tờ khai", max_length=200))
            for key in ("originals", "copies"):
                if document[key] > 1000:
                    row.error("Số bản chính" if key == "originals" else "Số bản sao", _("số bản quá lớn."))
            if spec is not None:
                document["order"] = len(spec["documents"]) + 1
                spec["documents"].append(document)

    if fold(STEPS_SHEET) in names:
        role_labels = [str(label) for _value, label in Role.choices]
        performer_labels = list(PERFORMER_LABELS.values())
        for row in _Sheet(workbook[names[fold(STEPS_SHEET)]], STEPS_COLUMNS, errors):
            spec = owner(row)
            order = row.decimal("Bước", integer=True)
            agency_code = row.text("Mã cơ quan")
            agency = None
            if agency_code:
                agency = agencies.get(agency_code)
                if agency is None:
                    row.error("Mã cơ quan", _("không có cơ quan có mã định danh '%(code)s'.") % {"code": agency_code})
            step = dict(
                order=order, name=row.text("Tên bước", required=True, max_length=300),
                performer=row.choice("Nơi thực hiện", _performer_aliases(), performer_labels),
                agency=agency, role=row.choice("Vai trò", _role_aliases(), role_labels),
                budget=row.decimal("Thời gian"), unit_name=row.text("Phòng, bộ phận", max_length=200),
                is_inter_agency=row.yes_no("Bước liên thông"))
            if order is not None and order > 1000:
                row.error("Bước", _("số thứ tự bước quá lớn."))
            if spec is not None and order is not None:
                previous = next((s for s in spec["steps"] if s["order"] == order), None)
                if previous is not None:
                    row.error("Bước", _("bước %(order)d của thủ tục %(code)s đã có ở dòng %(row)d.") % {
                        "order": order, "code": spec["code"], "row": previous["row"]})
                else:
                    step["row"] = row.number
                    spec["steps"].append(step)
    return fields_by_key, procedures


# --- import ----------------------------------------------------------------------------------------

def import_catalogue(file, decision: PublicationDecision, user=None, publish: bool = True) -> ImportResult:
    """Import a workbook (path or binary file object) under ``decision``.

    With ``publish`` (the default) every procedure becomes a published version, superseding the
    one in force; otherwise drafts are created for the agency to complete. Nothing is written
    when any row is wrong: the result's ``errors`` lists every problem in Vietnamese.
    """
    result = ImportResult()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        result.errors.append(_("Tệp không phải là tệp Excel (.xlsx) hợp lệ."))
        return result
    try:
        fields, procedures = _parse(workbook, result.errors)
    finally:
        workbook.close()
    if not result.errors and not procedures:
        result.errors.append(_("Trang tính “%(sheet)s” không có thủ tục nào.") % {"sheet": MAIN_SHEET})
    if result.errors:
        return result

    try:
        with transaction.atomic():
            if decision.pk is None:
                decision.save()
            result.decision = decision
            for field in {id(f): f for f in fields.values()}.values():
                if field.pk is None:
                    field.save()
            for code, spec in procedures.items():
                version = _create_version(code, spec)
                if publish:
                    try:
                        services.publish(version, decision, user=user)
                    except ValidationError as exc:
                        for message in exc.messages:
                            result.errors.append(_("Mã TTHC %(code)s (dòng %(row)d): %(message)s") % {
                                "code": code, "row": spec["row"], "message": message})
                        continue
                else:
                    version.decision = decision
                    version.save(update_fields=["decision"])
                result.versions.append(version)
            if result.errors:
                raise ImportRefused
    except ImportRefused:
        result.versions = []
        result.decision = None
        if decision.pk is not None and not PublicationDecision.objects.filter(pk=decision.pk).exists():
            decision.pk = None
    return result


def _create_version(code, spec):
    procedure, _created = Procedure.objects.get_or_create(code=code)
    latest = procedure.versions.aggregate(n=Max("number"))["n"] or 0
    change = ProcedureVersion.Change.AMENDED if procedure.current_version_id else ProcedureVersion.Change.NEW
    version = ProcedureVersion(procedure=procedure, number=latest + 1, change=change, field=spec["field"],
                               **spec["values"])
    version.save()
    version.agencies.set(spec["agencies"])
    RequiredDocument.objects.bulk_create(RequiredDocument(version=version, **d) for d in spec["documents"])
    ProcessStep.objects.bulk_create(
        ProcessStep(version=version, **{k: v for k, v in s.items() if k != "row"}) for s in spec["steps"])
    return version


# --- export ----------------------------------------------------------------------------------------

def _number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _yes_no(value):
    return "Có" if value else "Không"


def _write_sheet(ws, columns, rows):
    headers = [EXPORT_HEADERS.get(name, name) for name, _required in columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = max(10, min(45, len(header) + 4))


def export_catalogue(file, versions=None):
    """Write the catalogue (default: every current published version) to ``file`` (path or stream)."""
    if versions is None:
        versions = services.search().order_by("procedure__code")
    if hasattr(versions, "prefetch_related"):
        versions = services.with_agencies(versions.defer(None)).prefetch_related("documents", "steps__agency")
    versions = list(versions)
    workbook = Workbook()
    main = workbook.active
    main.title = MAIN_SHEET
    _write_sheet(main, MAIN_COLUMNS, (
        [index, v.procedure.code, v.name, v.field.name, "; ".join(LEVEL_LABELS.get(lv, lv) for lv in v.levels),
         "; ".join(a.code for a in v.agencies.all()), _number(v.time_value), UNIT_LABELS[TimeUnit(v.time_unit)],
         v.fee_amount, v.fee_description, v.result_name, v.legal_basis,
         v.online_level.name if v.online_level_id else "", _yes_no(v.postal_reception), _yes_no(v.postal_return),
         _yes_no(v.inter_agency), v.competent_authority, v.applicant_types, v.requirements, v.steps_description,
         _yes_no(v.on_the_spot)]
        for index, v in enumerate(versions, start=1)))
    _write_sheet(workbook.create_sheet(DOCS_SHEET), DOCS_COLUMNS, (
        [v.procedure.code, d.name, d.originals, d.copies, _yes_no(d.mandatory), d.form_name]
        for v in versions for d in v.documents.all()))
    _write_sheet(workbook.create_sheet(STEPS_SHEET), STEPS_COLUMNS, (
        [v.procedure.code, s.order, s.name, PERFORMER_LABELS[ProcessStep.Performer(s.performer)],
         s.agency.code if s.agency_id else "", str(Role(s.role).label), _number(s.budget), s.unit_name,
         _yes_no(s.is_inter_agency)]
        for v in versions for s in v.steps.all()))
    fields = sorted({v.field_id: v.field for v in versions}.values(), key=lambda f: f.code)
    _write_sheet(workbook.create_sheet(FIELDS_SHEET), FIELDS_COLUMNS, (
        [f.code, f.name, _yes_no(f.is_land_or_housing)] for f in fields))
    workbook.save(file)
    return len(versions)
