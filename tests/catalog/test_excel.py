import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from motcua.catalog import excel, services
from motcua.catalog.models import Field, Procedure, ProcedureVersion, ProcessStep, PublicationDecision
from tests.catalog.factories import (
    DecisionFactory, OnlineLevelFactory, commune_committee, information_only, justice_department, partly_online,
    published,
)

pytestmark = pytest.mark.django_db

MAIN_HEADER = ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Cấp thực hiện",
               "Cơ quan thực hiện (mã định danh, phân cách bằng dấu ;)", "Thời hạn giải quyết", "Đơn vị thời hạn",
               "Phí/lệ phí (đồng)", "Mô tả phí", "Kết quả", "Căn cứ pháp lý", "Mức độ DVC trực tuyến",
               "Tiếp nhận qua BCCI", "Trả kết quả qua BCCI", "Liên thông"]
DOCS_HEADER = ["Mã TTHC", "Tên giấy tờ", "Số bản chính", "Số bản sao", "Bắt buộc"]
STEPS_HEADER = ["Mã TTHC", "Bước", "Tên bước", "Nơi thực hiện", "Mã cơ quan", "Vai trò", "Thời gian"]


def birth_row(**overrides):
    row = {"STT": 1, "Mã TTHC": "1.001193", "Tên thủ tục hành chính": "Đăng ký khai sinh", "Lĩnh vực": "Hộ tịch",
           "Cấp thực hiện": "Cấp xã", "Cơ quan": "000.01.30.H42", "Thời hạn": 1, "Đơn vị": "Ngày làm việc",
           "Phí": 0, "Mô tả phí": "Miễn lệ phí", "Kết quả": "Giấy khai sinh (bản chính)",
           "Căn cứ": "Luật Hộ tịch 2014", "Mức độ": "Dịch vụ công trực tuyến toàn trình", "BCCI vào": "Có",
           "BCCI ra": "Có", "Liên thông": "Không"}
    row.update(overrides)
    return list(row.values())


def permit_row(**overrides):
    row = {"STT": 2, "Mã TTHC": "1.009972", "Tên thủ tục hành chính": "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt",
           "Lĩnh vực": "Hoạt động xây dựng", "Cấp thực hiện": "Cấp tỉnh", "Cơ quan": "000.00.14.H42",
           "Thời hạn": "20", "Đơn vị": "Ngày làm việc", "Phí": "150.000", "Mô tả phí": "150.000 đồng/giấy phép",
           "Kết quả": "Giấy phép xây dựng", "Căn cứ": "Luật Xây dựng 2014", "Mức độ": "Dịch vụ công trực tuyến một phần",
           "BCCI vào": "Có", "BCCI ra": "Không", "Liên thông": "Không"}
    row.update(overrides)
    return list(row.values())


def make_workbook(main_rows, doc_rows=None, step_rows=None, title=True):
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh mục TTHC"
    if title:
        ws.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH TỈNH NINH BÌNH"])
        ws.append([])
    ws.append(MAIN_HEADER)
    for row in main_rows:
        ws.append(row)
    docs = wb.create_sheet("Thành phần hồ sơ")
    docs.append(DOCS_HEADER)
    for row in doc_rows if doc_rows is not None else [
        ["1.001193", "Tờ khai đăng ký khai sinh", 1, 0, "Có"],
        ["1.001193", "Giấy chứng sinh", 1, 0, "Có"],
        ["1.009972", "Đơn đề nghị cấp giấy phép xây dựng", 1, 0, "Có"],
        ["1.009972", "Bản vẽ thiết kế xây dựng", 0, 2, "Có"],
    ]:
        docs.append(row)
    steps = wb.create_sheet("Quy trình")
    steps.append(STEPS_HEADER)
    for row in step_rows if step_rows is not None else [
        ["1.001193", 1, "Tiếp nhận hồ sơ", "Bộ phận một cửa", "", "Công chức tiếp nhận", 0.5],
        ["1.001193", 2, "Giải quyết, trả kết quả", "Cơ quan có thẩm quyền", "", "Lãnh đạo phòng/cơ quan", "0,5"],
        ["1.009972", 1, "Tiếp nhận hồ sơ", "Bộ phận một cửa", "", "Công chức tiếp nhận", 0.5],
        ["1.009972", 2, "Thẩm định hồ sơ", "Cơ quan có thẩm quyền", "", "Chuyên viên thụ lý", 17],
        ["1.009972", 3, "Lấy ý kiến phòng cháy", "Cơ quan được chỉ định", "000.00.14.H42", "Chuyên viên thụ lý", 2],
        ["1.009972", 4, "Ký giấy phép", "Cơ quan có thẩm quyền", "", "Lãnh đạo phòng/cơ quan", 0.5],
    ]:
        steps.append(row)
    stream = io.BytesIO()
    wb.save(stream)
    stream.seek(0)
    return stream


@pytest.fixture
def setup_orgs():
    commune_committee(1, "Phường Hoa Lư")
    justice_department()
    OnlineLevelFactory()
    partly_online()


def decision():
    return PublicationDecision(number="1576/QĐ-UBND", signed_on="2025-08-01", effective_on="2025-08-01",
                               issuing_body="Ủy ban nhân dân tỉnh Ninh Bình")


def test_good_file_is_imported_and_published(setup_orgs):
    result = excel.import_catalogue(make_workbook([birth_row(), permit_row()]), decision())
    assert result.errors == []
    assert len(result.versions) == 2
    birth = services.current_version("1.001193")
    assert birth.status == ProcedureVersion.Status.PUBLISHED
    assert birth.decision.number == "1576/QĐ-UBND"
    assert birth.levels == ["commune"]
    assert [a.code for a in birth.agencies.all()] == ["000.01.30.H42"]
    assert birth.online_level.code == "toan_trinh"
    assert [d.name for d in birth.documents.all()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    permit = services.current_version("1.009972")
    assert permit.fee_amount == 150000
    assert permit.time_value == Decimal("20")
    assert permit.postal_return is False
    assert permit.field.name == "Hoạt động xây dựng"
    step = permit.steps.get(order=3)
    assert step.performer == ProcessStep.Performer.FIXED and step.agency.code == "000.00.14.H42"
    assert permit.documents.get(name="Bản vẽ thiết kế xây dựng").copies == 2
    assert list(services.search("giay phep xay dung")) == [permit]


def test_importing_an_existing_code_supersedes_the_version_in_force(setup_orgs):
    excel.import_catalogue(make_workbook([birth_row(), permit_row()]), decision())
    result = excel.import_catalogue(make_workbook([birth_row(**{"Phí": 8000}), permit_row()]), decision())
    assert result.errors == []
    birth = services.current_version("1.001193")
    assert (birth.number, birth.change, birth.fee_amount) == (2, "amended", 8000)
    assert Procedure.objects.get(code="1.001193").versions.get(number=1).status == "superseded"


def test_import_as_drafts_publishes_nothing(setup_orgs):
    result = excel.import_catalogue(
        make_workbook([birth_row()], doc_rows=[["1.001193", "Tờ khai", 1, 0, "Có"]], step_rows=[]), decision(),
        publish=False)
    assert result.errors == []
    assert ProcedureVersion.objects.get().status == ProcedureVersion.Status.DRAFT
    assert list(services.search()) == []


@pytest.mark.parametrize("main_rows, doc_rows, step_rows, expected", [
    ([birth_row(**{"Thời hạn": "mười"})], None, None,
     "Dòng 4, cột Thời hạn giải quyết: 'mười' không phải là số."),
    ([birth_row(**{"Thời hạn": -2})], None, None,
     "Dòng 4, cột Thời hạn giải quyết: '-2' không được là số âm."),
    ([birth_row(**{"Phí": "1,5"})], None, None,
     "Dòng 4, cột Phí/lệ phí (đồng): '1,5' không phải là số nguyên."),
    ([birth_row(**{"Tên thủ tục hành chính": None})], None, None,
     "Dòng 4, cột Tên thủ tục hành chính: không được để trống."),
    ([birth_row(**{"Cơ quan": "000.01.30.H42; 000.99.99.H42"})], None, None,
     "Dòng 4, cột Cơ quan thực hiện: không có cơ quan có mã định danh '000.99.99.H42'."),
    ([birth_row(**{"Cấp thực hiện": "Cấp bộ"})], None, None,
     "Dòng 4, cột Cấp thực hiện: 'Cấp bộ' không hợp lệ (chỉ nhận Cấp tỉnh, Cấp huyện, Cấp xã)."),
    ([birth_row(**{"Đơn vị": "tuần"})], None, None,
     "Dòng 4, cột Đơn vị thời hạn: 'tuần' không hợp lệ (chỉ nhận Ngày làm việc, Giờ làm việc, Ngày)."),
    ([birth_row(**{"BCCI vào": "có lẽ"})], None, None,
     "Dòng 4, cột Tiếp nhận qua BCCI: 'có lẽ' không hợp lệ (chỉ nhận Có hoặc Không)."),
    ([birth_row(**{"Mức độ": "Mức độ 5"})], None, None,
     "Dòng 4, cột Mức độ DVC trực tuyến: không có mức độ 'Mức độ 5'"),
    ([birth_row(), birth_row(STT=2)], None, None, "Dòng 5, cột Mã TTHC: mã '1.001193' đã có ở dòng 4."),
    ([birth_row()], [["1.000000", "Tờ khai", 1, 0, "Có"]], None,
     "Trang tính “Thành phần hồ sơ”, dòng 2, cột Mã TTHC: mã '1.000000' không có trong trang tính "
     "“Danh mục TTHC”."),
    ([birth_row()], [["1.001193", "Tờ khai", 1, "hai", "Có"]], None,
     "Trang tính “Thành phần hồ sơ”, dòng 2, cột Số bản sao: 'hai' không phải là số."),
    ([birth_row()], None, [["1.001193", 1, "Tiếp nhận", "Bộ phận một cửa", "", "Công chức tiếp nhận", 0.5],
                           ["1.001193", 1, "Giải quyết", "Bộ phận một cửa", "", "Công chức tiếp nhận", 0.5]],
     "Trang tính “Quy trình”, dòng 3, cột Bước: bước 1 của thủ tục 1.001193 đã có ở dòng 2."),
    ([birth_row()], None, [["1.001193", 1, "Tiếp nhận", "Ở nhà", "", "Công chức tiếp nhận", 1]],
     "Trang tính “Quy trình”, dòng 2, cột Nơi thực hiện: 'Ở nhà' không hợp lệ"),
    ([birth_row()], None, [["1.001193", 1, "Tiếp nhận", "Bộ phận một cửa", "", "Bảo vệ", 1]],
     "Trang tính “Quy trình”, dòng 2, cột Vai trò: 'Bảo vệ' không hợp lệ"),
    ([birth_row(**{"Thời hạn": 3})], None, [
        ["1.001193", 1, "Tiếp nhận", "Bộ phận một cửa", "", "Công chức tiếp nhận", 0.5],
        ["1.001193", 2, "Giải quyết", "Cơ quan có thẩm quyền", "", "Chuyên viên thụ lý", 1]],
     "Mã TTHC 1.001193 (dòng 4): Tổng thời gian các bước (1,5 ngày làm việc) không bằng thời hạn giải quyết "
     "(3 ngày làm việc)."),
    ([birth_row()], None, [],
     "Mã TTHC 1.001193 (dòng 4): Quy trình nội bộ chưa có bước nào."),
])
def test_bad_rows_are_reported_and_nothing_is_imported(setup_orgs, main_rows, doc_rows, step_rows, expected):
    good = permit_row()
    rows = main_rows + [good]
    docs = doc_rows if doc_rows is None else doc_rows + [["1.009972", "Đơn đề nghị", 1, 0, "Có"]]
    steps = step_rows if step_rows is None else step_rows + [
        ["1.009972", 1, "Tiếp nhận hồ sơ", "Bộ phận một cửa", "", "Công chức tiếp nhận", 20]]
    d = decision()
    result = excel.import_catalogue(make_workbook(rows, docs, steps), d)
    assert any(error.startswith(expected) for error in result.errors), result.errors
    assert result.versions == []
    assert Procedure.objects.count() == 0
    assert ProcedureVersion.objects.count() == 0
    assert PublicationDecision.objects.count() == 0
    assert Field.objects.count() == 0


def test_every_bad_row_is_reported_at_once(setup_orgs):
    result = excel.import_catalogue(
        make_workbook([birth_row(**{"Thời hạn": "mười"}), permit_row(**{"Cơ quan": "X"})]), decision())
    assert result.errors == [
        "Dòng 4, cột Thời hạn giải quyết: 'mười' không phải là số.",
        "Dòng 5, cột Cơ quan thực hiện: không có cơ quan có mã định danh 'X'.",
    ]


def test_not_an_excel_file_is_refused(setup_orgs):
    result = excel.import_catalogue(io.BytesIO(b"STT;Ma TTHC\n1;2\n"), decision())
    assert result.errors == ["Tệp không phải là tệp Excel (.xlsx) hợp lệ."]


def test_missing_sheet_and_missing_column_are_reported(setup_orgs):
    wb = Workbook()
    wb.active.title = "Sheet1"
    stream = io.BytesIO()
    wb.save(stream)
    stream.seek(0)
    assert excel.import_catalogue(stream, decision()).errors == ["Tệp không có trang tính “Danh mục TTHC”."]

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh mục TTHC"
    ws.append([h for h in MAIN_HEADER if h != "Kết quả"])
    stream = io.BytesIO()
    wb.save(stream)
    stream.seek(0)
    assert excel.import_catalogue(stream, decision()).errors == ["Trang tính “Danh mục TTHC” thiếu cột “Kết quả”."]


def catalogue_snapshot():
    rows = []
    for v in services.search().order_by("procedure__code"):
        rows.append((
            v.procedure.code, v.name, v.field.code, v.field.name, v.levels, [a.code for a in v.agencies.all()],
            v.time_value, v.time_unit, v.fee_amount, v.fee_description, v.result_name, v.legal_basis,
            v.online_level.code if v.online_level else None, v.postal_reception, v.postal_return, v.inter_agency,
            v.competent_authority, v.applicant_types, v.requirements, v.steps_description, v.on_the_spot,
            [(d.order, d.name, d.originals, d.copies, d.mandatory, d.form_name) for d in v.documents.all()],
            [(s.order, s.name, s.performer, s.agency.code if s.agency else None, s.role, s.budget, s.unit_name,
              s.is_inter_agency) for s in v.steps.all()],
        ))
    return rows


def test_round_trip_export_then_import_into_an_empty_catalogue(setup_orgs):
    commune = commune_committee(1, "Phường Hoa Lư")
    published(procedure__code="1.001193", name="Đăng ký khai sinh", levels=["commune"], agencies=[commune],
              time_value=Decimal("1"), fee_description="Miễn lệ phí", postal_return=False,
              documents=[("Tờ khai đăng ký khai sinh", 1, 0, True), ("Giấy tờ tùy thân", 0, 1, False)])
    published(procedure__code="2.000528", name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
              time_value=Decimal("10"), fee_amount=200000, online_level=partly_online(), inter_agency=True,
              requirements="Không", competent_authority="Sở Tư pháp")
    published(procedure__code="1.000656", name="Đăng ký hoạt động tổ chức hành nghề công chứng",
              field__code="BOTROTUPHAP", field__name="Bổ trợ tư pháp", time_value=Decimal("4.5"),
              time_unit="working_hours", online_level=information_only(),
              steps=[("Tiếp nhận", "0.5"), ("Thẩm định", "3.5"), ("Ký", "0.5")])
    abolished = published(procedure__code="1.000000", name="Thủ tục đã bãi bỏ")
    services.abolish(abolished.procedure, DecisionFactory())
    before = catalogue_snapshot()
    assert len(before) == 3

    stream = io.BytesIO()
    assert excel.export_catalogue(stream) == 3
    stream.seek(0)
    assert load_workbook(stream).sheetnames == ["Danh mục TTHC", "Thành phần hồ sơ", "Quy trình", "Lĩnh vực"]
    stream.seek(0)

    ProcedureVersion.objects.update(decision=None)
    Procedure.objects.all().delete()
    PublicationDecision.objects.all().delete()
    Field.objects.all().delete()
    assert services.search().count() == 0

    result = excel.import_catalogue(stream, decision())
    assert result.errors == []
    assert catalogue_snapshot() == before


def test_management_command_exports_and_imports(setup_orgs, tmp_path):
    from django.core.management import CommandError, call_command

    published(procedure__code="1.001193", name="Đăng ký khai sinh")
    path = tmp_path / "danh-muc.xlsx"
    out = io.StringIO()
    call_command("catalog_excel", "export", str(path), stdout=out)
    assert "Đã xuất 1 thủ tục" in out.getvalue()
    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()

    with pytest.raises(CommandError, match="--decision-number"):
        call_command("catalog_excel", "import", str(path))
    out = io.StringIO()
    call_command("catalog_excel", "import", str(path), "--decision-number", "12/QĐ-UBND", "--signed-on",
                 "05/08/2025", "--issuing-body", "UBND tỉnh Ninh Bình", stdout=out)
    assert "Đã công bố 1 thủ tục theo Quyết định số 12/QĐ-UBND" in out.getvalue()
    version = services.current_version("1.001193")
    assert version.decision.signed_on.isoformat() == "2025-08-05"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make_workbook([birth_row(**{"Thời hạn": "mười"})], [], []).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="Không nhập thủ tục nào"):
        call_command("catalog_excel", "import", str(bad), "--decision-number", "13/QĐ-UBND",
                     "--issuing-body", "UBND tỉnh Ninh Bình", stderr=err)
    assert "'mười' không phải là số" in err.getvalue()
