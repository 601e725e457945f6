"""Demo procedure catalogue of Tỉnh Ninh Bình (two-tier organisation, Decree 118/2025 era).

``load()`` writes about forty real procedures (national TTHC codes, statutory times,
fees, required documents, legal bases) for the provincial departments and for all
twelve commune People's Committees, each with an internal process whose step budgets
add up exactly to its statutory time, plus the two liên thông bundles (birth, death)
and one amended procedure (household business registration, moved from the old district
level to the commune level in 2025) to show versioning.

Everything is keyed on codes and only saved when a value differs, so running ``load()``
again changes nothing. Agencies come from ``motcua.orgs.demo``; a missing one is skipped
with a note (``seed_demo`` loads the organisation first). Versions are marked PUBLISHED
directly, not through ``services.publish``: the demo is a snapshot of an already
published catalogue, not a sequence of audited publication events.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Field, OnlineLevel, Procedure, ProcedureBundle, ProcedureVersion, ProcessStep, PublicationDecision,
    RequiredDocument, TimeUnit,
)
from motcua.orgs.models import Agency, Role

WD, WH, CD = TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.CALENDAR_DAYS
RECEIVING, COMPETENT, FIXED = (ProcessStep.Performer.RECEIVING, ProcessStep.Performer.COMPETENT,
                               ProcessStep.Performer.FIXED)
Status, Change = ProcedureVersion.Status, ProcedureVersion.Change

# --- agencies (codes from motcua/orgs/demo.py) ----------------------------------------------------
JUSTICE = "000.00.14.H42"          # Sở Tư pháp
CONSTRUCTION = "000.00.12.H42"     # Sở Xây dựng
AGRI_ENV = "000.00.10.H42"         # Sở Nông nghiệp và Môi trường
LAND_OFFICE = "000.01.10.H42"      # Văn phòng Đăng ký đất đai tỉnh
HEALTH = "000.00.15.H42"           # Sở Y tế
FINANCE = "000.00.03.H42"          # Sở Tài chính (business registration since 2025)
INDUSTRY_TRADE = "000.00.08.H42"   # Sở Công Thương
EDUCATION = "000.00.16.H42"        # Sở Giáo dục và Đào tạo
HOME_AFFAIRS = "000.00.04.H42"     # Sở Nội vụ (labour, people with merit since 2025)
CULTURE = "000.00.17.H42"          # Sở Văn hóa, Thể thao và Du lịch
POLICE = "000.00.21.H42"           # Công an tỉnh Ninh Bình
SOCIAL_INSURANCE = "000.00.22.H42"  # Bảo hiểm xã hội tỉnh Ninh Bình
# The demo organisation has no tax authority; the land procedures' tax step (xác định nghĩa vụ
# tài chính) is routed to Sở Tài chính and labelled "Thuế tỉnh Ninh Bình" until orgs adds one.
TAX = FINANCE
TAX_UNIT = "Thuế tỉnh Ninh Bình"
COMMUNE_COMMITTEES = [f"000.{n:02d}.30.H42" for n in range(1, 13)]

# --- fields, online levels, decisions -------------------------------------------------------------
# (code, name, is_land_or_housing)
FIELDS = [
    ("HOTICH", "Hộ tịch", False),
    ("CHUNGTHUC", "Chứng thực", False),
    ("LLTP", "Lý lịch tư pháp", False),
    ("QUOCTICH", "Quốc tịch", False),
    ("DOANHNGHIEP", "Thành lập và hoạt động doanh nghiệp", False),
    ("HOKINHDOANH", "Thành lập và hoạt động của hộ kinh doanh", False),
    ("XAYDUNG", "Hoạt động xây dựng", False),
    ("DATDAI", "Đất đai", True),
    ("NHAO", "Nhà ở", True),
    ("BPBD", "Đăng ký biện pháp bảo đảm", False),
    ("ATTP", "An toàn thực phẩm", False),
    ("KCB", "Khám bệnh, chữa bệnh", False),
    ("THUONGMAI", "Lưu thông hàng hóa trong nước", False),
    ("GIAODUC", "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân", False),
    ("VIECLAM", "Việc làm", False),
    ("BTXH", "Bảo trợ xã hội", False),
    ("NCC", "Người có công", False),
    ("VANHOA", "Văn hóa", False),
    ("CUTRU", "Đăng ký, quản lý cư trú", False),
    ("BHYT", "Bảo hiểm y tế", False),
    ("BHXH", "Bảo hiểm xã hội", False),
]

# (scheme, code, name, submit, pay, result, full, order)
ONLINE_LEVELS = [
    ("muc_do", "2", "Mức độ 2 (cung cấp thông tin và biểu mẫu điện tử)", False, False, False, False, 2),
    ("muc_do", "3", "Mức độ 3 (nộp hồ sơ trực tuyến)", True, False, False, False, 3),
    ("muc_do", "4", "Mức độ 4 (nộp hồ sơ, thanh toán và nhận kết quả trực tuyến)", True, True, True, True, 4),
    ("qd_2025", "toan_trinh", "Dịch vụ công trực tuyến toàn trình", True, True, True, True, 1),
    ("qd_2025", "mot_phan", "Dịch vụ công trực tuyến một phần", True, False, False, False, 2),
]
FULL, PART = ("qd_2025", "toan_trinh"), ("qd_2025", "mot_phan")
LEVEL2, LEVEL3, LEVEL4 = ("muc_do", "2"), ("muc_do", "3"), ("muc_do", "4")

ISSUER = "Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình"
DECISIONS = {
    "2021": dict(
        number="2187/QĐ-UBND", signed_on=datetime.date(2021, 10, 15),
        effective_on=datetime.date(2021, 10, 15),
        summary="Quyết định số 2187/QĐ-UBND ngày 15/10/2021 của Chủ tịch UBND tỉnh Ninh Bình công bố danh "
                "mục thủ tục hành chính chuẩn hóa lĩnh vực thành lập và hoạt động của hộ kinh doanh thuộc "
                "thẩm quyền giải quyết của Ủy ban nhân dân cấp huyện trên địa bàn tỉnh Ninh Bình"),
    "main": dict(
        number="1234/QĐ-UBND", signed_on=datetime.date(2025, 8, 15), effective_on=datetime.date(2025, 8, 15),
        summary="Quyết định số 1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Ninh Bình công bố danh mục "
                "thủ tục hành chính và phê duyệt quy trình nội bộ giải quyết thủ tục hành chính thuộc thẩm "
                "quyền giải quyết của các sở, ngành và Ủy ban nhân dân cấp xã trên địa bàn tỉnh Ninh Bình"),
    "health": dict(
        number="1587/QĐ-UBND", signed_on=datetime.date(2025, 9, 22), effective_on=datetime.date(2025, 9, 25),
        summary="Quyết định số 1587/QĐ-UBND ngày 22/9/2025 của Chủ tịch UBND tỉnh Ninh Bình công bố danh mục "
                "thủ tục hành chính được sửa đổi, bổ sung trong lĩnh vực an toàn thực phẩm, khám bệnh, chữa "
                "bệnh thuộc phạm vi chức năng quản lý của Sở Y tế tỉnh Ninh Bình"),
}

# --- legal bases used by several procedures -------------------------------------------------------
HT_LAW = (
    "Luật Hộ tịch số 60/2014/QH13 ngày 20/11/2014; Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ "
    "quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch; Nghị định số 07/2025/NĐ-CP ngày "
    "09/01/2025 sửa đổi, bổ sung một số điều của các nghị định trong lĩnh vực hộ tịch, quốc tịch, chứng "
    "thực; Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp; Thông tư số 85/2019/TT-BTC "
    "ngày 29/11/2019 của Bộ Tài chính; Nghị quyết của HĐND tỉnh Ninh Bình quy định mức thu lệ phí hộ tịch.")
HT_FEE = ("Lệ phí: 15.000 đồng/trường hợp; miễn lệ phí cho người thuộc gia đình có công với cách mạng, "
          "người thuộc hộ nghèo, người khuyết tật (Nghị quyết của HĐND tỉnh Ninh Bình).")
CT_LAW = (
    "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao "
    "từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch; Nghị định số 07/2025/NĐ-CP ngày "
    "09/01/2025; Thông tư số 01/2020/TT-BTP ngày 03/3/2020 của Bộ trưởng Bộ Tư pháp; Thông tư số "
    "226/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng "
    "phí chứng thực.")
DN_LAW = (
    "Luật Doanh nghiệp số 59/2020/QH14 ngày 17/6/2020 (sửa đổi, bổ sung năm 2025); Nghị định số "
    "168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về đăng ký doanh nghiệp; Thông tư số 68/2025/TT-BTC ngày "
    "01/7/2025 của Bộ trưởng Bộ Tài chính ban hành biểu mẫu sử dụng trong đăng ký doanh nghiệp, đăng ký hộ "
    "kinh doanh; Thông tư số 47/2019/TT-BTC ngày 05/8/2019 quy định mức thu lệ phí đăng ký doanh nghiệp, "
    "phí cung cấp thông tin doanh nghiệp.")
DN_FEE = ("Lệ phí đăng ký doanh nghiệp: 50.000 đồng/lần; miễn lệ phí khi đăng ký qua mạng thông tin điện tử. "
          "Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần (Thông tư số 47/2019/TT-BTC).")
XD_LAW = (
    "Luật Xây dựng số 50/2014/QH13 ngày 18/6/2014, được sửa đổi, bổ sung bởi Luật số 62/2020/QH14; Nghị "
    "định số 175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ quy định chi tiết một số điều và biện pháp thi "
    "hành Luật Xây dựng về quản lý hoạt động xây dựng; Nghị quyết của HĐND tỉnh Ninh Bình quy định mức thu "
    "lệ phí cấp giấy phép xây dựng.")
XD_SUPPLEMENT = (
    "Trong thời hạn 07 ngày làm việc kể từ ngày nhận hồ sơ, cơ quan cấp giấy phép xây dựng kiểm tra thực "
    "địa, xác định tài liệu còn thiếu hoặc không đúng quy định để thông báo một lần bằng văn bản cho chủ đầu "
    "tư bổ sung, hoàn chỉnh hồ sơ (khoản 1 Điều 102 Luật Xây dựng).")
DD_LAW = (
    "Luật Đất đai số 31/2024/QH15 ngày 18/01/2024; Nghị định số 101/2024/NĐ-CP ngày 29/7/2024 của Chính phủ "
    "quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài "
    "sản gắn liền với đất và Hệ thống thông tin đất đai; Nghị định số 151/2025/NĐ-CP ngày 12/6/2025 của "
    "Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp, phân quyền, phân cấp "
    "trong lĩnh vực đất đai; Nghị định số 103/2024/NĐ-CP ngày 30/7/2024 quy định về tiền sử dụng đất, tiền "
    "thuê đất; Nghị quyết của HĐND tỉnh Ninh Bình quy định mức thu lệ phí cấp Giấy chứng nhận, phí thẩm "
    "định hồ sơ cấp Giấy chứng nhận.")
DD_FEE = ("Lệ phí cấp Giấy chứng nhận: 50.000 đồng/giấy đối với cá nhân; 100.000 đồng/giấy đối với tổ chức; "
          "phí thẩm định hồ sơ theo Nghị quyết của HĐND tỉnh Ninh Bình.")
BTXH_LAW = (
    "Luật Người cao tuổi số 39/2009/QH12; Luật Người khuyết tật số 51/2010/QH12; Nghị định số 20/2021/NĐ-CP "
    "ngày 15/3/2021 của Chính phủ quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội; Nghị "
    "định số 76/2024/NĐ-CP ngày 01/7/2024 sửa đổi, bổ sung một số điều của Nghị định số 20/2021/NĐ-CP; "
    "Thông tư số 02/2021/TT-BLĐTBXH ngày 24/6/2021.")
LIEN_THONG_LAW = (
    "Nghị định số 63/2024/NĐ-CP ngày 10/6/2024 của Chính phủ quy định việc thực hiện liên thông điện tử 02 "
    "nhóm thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới "
    "6 tuổi; đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất.")
CU_TRU_LAW = (
    "Luật Cư trú số 68/2020/QH14 ngày 13/11/2020; Nghị định số 154/2024/NĐ-CP ngày 26/11/2024 của Chính phủ "
    "quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú; Thông tư số 55/2021/TT-BCA ngày "
    "15/5/2021 của Bộ trưởng Bộ Công an (sửa đổi, bổ sung bởi Thông tư số 66/2023/TT-BCA); Thông tư số "
    "75/2022/TT-BTC ngày 22/12/2022 quy định mức thu lệ phí đăng ký cư trú.")
RUOU_LAW = (
    "Luật Thương mại số 36/2005/QH11; Luật Phòng, chống tác hại của rượu, bia số 44/2019/QH14; Nghị định số "
    "105/2017/NĐ-CP ngày 14/9/2017 của Chính phủ về kinh doanh rượu; Nghị định số 17/2020/NĐ-CP ngày "
    "05/02/2020; Thông tư số 168/2016/TT-BTC ngày 26/10/2016 quy định mức thu phí thẩm định kinh doanh "
    "thương mại có điều kiện.")

# Units that perform the steps (the receiving unit depends on the level; phi địa giới).
RECEPTION_UNIT = {
    "province": "Bộ phận Một cửa - Trung tâm Phục vụ hành chính công tỉnh",
    "commune": "Bộ phận Một cửa - Trung tâm phục vụ hành chính công cấp xã",
    "district": "Bộ phận Một cửa cấp huyện",
}
DEFAULT_UNITS = {
    "province": ("Phòng chuyên môn thuộc Sở", "Lãnh đạo Sở", "Văn thư Sở"),
    "commune": ("Công chức Tư pháp - Hộ tịch", "Lãnh đạo UBND cấp xã", "Văn thư UBND cấp xã"),
}
COMMUNE_ECONOMY = "Phòng Kinh tế (Phòng Kinh tế, Hạ tầng và Đô thị đối với phường)"
COMMUNE_SOCIAL = "Phòng Văn hóa - Xã hội"
COMMUNE_POLICE = ("Cán bộ đăng ký cư trú - Công an cấp xã", "Trưởng Công an cấp xã", "Công an cấp xã")
LAND_UNITS = ("Phòng Đăng ký và Cấp Giấy chứng nhận", "Lãnh đạo Văn phòng Đăng ký đất đai",
              "Bộ phận Văn thư - Lưu trữ Văn phòng Đăng ký đất đai")


def _doc(name, originals=1, copies=0, form="", mandatory=True):
    return (name, originals, copies, form, mandatory)


def _opt(name, originals=0, copies=1, form=""):
    """An optional document ("trường hợp…", "nếu có")."""
    return (name, originals, copies, form, False)


def _step(name, performer, role, budget, agency=None, unit="", inter=False):
    """One process step; ``budget=None`` marks the one step that receives the remaining time."""
    return (name, performer, role, None if budget is None else Decimal(str(budget)), agency, unit, inter)


# --- the catalogue --------------------------------------------------------------------------------
# Each procedure: code, name, field, level ("commune" → all 12 commune committees unless `agencies`
# says otherwise), time/unit, fee, documents, result… `steps` gives a custom process; otherwise the
# standard five steps are built (with `extra` steps inserted after the appraisal).
PROCEDURES = [
    # ---------------------------------------------------------------- commune level: hộ tịch
    dict(
        code="1.001193", name="Đăng ký khai sinh", field="HOTICH", level="commune",
        competent="Chủ tịch Ủy ban nhân dân cấp xã", time=1, on_the_spot=True,
        fee=0, fee_description="Miễn lệ phí đăng ký khai sinh đúng hạn. Đăng ký khai sinh quá hạn: 5.000 "
                               "đồng/trường hợp; miễn cho người thuộc gia đình có công với cách mạng, hộ "
                               "nghèo, người khuyết tật.",
        result="Giấy khai sinh (bản chính và bản điện tử), trẻ được cấp số định danh cá nhân",
        result_code="KS", legal=HT_LAW + " " + LIEN_THONG_LAW,
        requirements="Cha, mẹ hoặc người thân thích có trách nhiệm đăng ký khai sinh cho trẻ trong thời hạn "
                     "60 ngày kể từ ngày sinh. Người đi đăng ký xuất trình giấy tờ tùy thân hoặc thông tin "
                     "công dân trên Ứng dụng định danh quốc gia VNeID; trường hợp ủy quyền thì văn bản ủy "
                     "quyền phải được chứng thực (trừ ông, bà, người thân thích).",
        applicants="Công dân Việt Nam", online=FULL,
        docs=[
            _doc("Tờ khai đăng ký khai sinh theo mẫu", form="Tờ khai đăng ký khai sinh (Mẫu "
                                                            "TP/HT-2020-KS.1)"),
            _doc("Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp (nếu không có thì nộp văn bản của người "
                 "làm chứng hoặc giấy cam đoan về việc sinh)"),
            _opt("Văn bản ủy quyền được chứng thực (trường hợp ủy quyền đăng ký khai sinh)", 1, 0),
            _opt("Biên bản xác nhận việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập (trường hợp trẻ bị bỏ "
                 "rơi)",
                 1, 0),
        ],
        appraise="Kiểm tra hồ sơ, ghi nội dung khai sinh vào Sổ đăng ký khai sinh và Cơ sở dữ liệu hộ tịch "
                 "điện tử, trình ký",
        approve="Lãnh đạo UBND cấp xã ký Giấy khai sinh",
    ),
    dict(
        code="1.000894", name="Đăng ký kết hôn", field="HOTICH", level="commune",
        competent="Chủ tịch Ủy ban nhân dân cấp xã", time=1,
        fee=0, fee_description="Miễn lệ phí đăng ký kết hôn (khoản 1 Điều 11 Luật Hộ tịch).",
        result="Giấy chứng nhận kết hôn (02 bản chính)", result_code="KH",
        legal="Luật Hôn nhân và gia đình số 52/2014/QH13 ngày 19/6/2014; " + HT_LAW,
        requirements="Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên; việc kết hôn do nam và nữ tự "
                     "nguyện quyết định; không bị mất năng lực hành vi dân sự; không thuộc các trường hợp "
                     "cấm kết hôn. Hai bên nam, nữ phải có mặt khi trao Giấy chứng nhận kết hôn. Trường hợp "
                     "cần xác minh điều kiện kết hôn thì thời hạn giải quyết không quá 05 ngày làm việc.",
        applicants="Công dân Việt Nam cư trú trong nước", online=PART, postal=(False, False),
        docs=[
            _doc("Tờ khai đăng ký kết hôn theo mẫu", form="Tờ khai đăng ký kết hôn (Mẫu TP/HT-2020-KH.1)"),
            _opt("Giấy xác nhận tình trạng hôn nhân (trường hợp không thường trú tại xã, phường nơi đăng ký "
                 "kết hôn)", 1, 0),
            _opt("Bản án, quyết định ly hôn đã có hiệu lực pháp luật hoặc trích lục ghi chú ly hôn (trường "
                 "hợp đã ly hôn)"),
        ],
        appraise="Kiểm tra điều kiện kết hôn, ghi vào Sổ đăng ký kết hôn và Cơ sở dữ liệu hộ tịch điện tử",
        approve="Lãnh đạo UBND cấp xã ký Giấy chứng nhận kết hôn",
    ),
    dict(
        code="1.000656", name="Đăng ký khai tử", field="HOTICH", level="commune",
        competent="Chủ tịch Ủy ban nhân dân cấp xã", time=1, on_the_spot=True,
        fee=0, fee_description="Miễn lệ phí đăng ký khai tử đúng hạn; đăng ký khai tử quá hạn: 5.000 "
                               "đồng/trường hợp.",
        result="Trích lục khai tử (bản chính)", result_code="KT", legal=HT_LAW + " " + LIEN_THONG_LAW,
        requirements="Trong thời hạn 15 ngày kể từ ngày có người chết, vợ, chồng hoặc con, cha, mẹ hoặc "
                     "người thân thích khác của người chết có trách nhiệm đi đăng ký khai tử. Trường hợp cần "
                     "xác minh thì thời hạn giải quyết không quá 03 ngày làm việc.",
        applicants="Công dân Việt Nam (thân nhân của người chết)", online=FULL,
        docs=[
            _doc("Tờ khai đăng ký khai tử theo mẫu", form="Tờ khai đăng ký khai tử (Mẫu TP/HT-2020-KT.1)"),
            _doc("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử do cơ quan có thẩm quyền cấp"),
            _opt("Văn bản ủy quyền được chứng thực (trường hợp ủy quyền)", 1, 0),
        ],
        appraise="Kiểm tra hồ sơ, ghi vào Sổ đăng ký khai tử và Cơ sở dữ liệu hộ tịch điện tử, trình ký",
        approve="Lãnh đạo UBND cấp xã ký Trích lục khai tử",
    ),
    dict(
        code="1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân", field="HOTICH", level="commune",
        competent="Chủ tịch Ủy ban nhân dân cấp xã", time=3, fee=15000, fee_description=HT_FEE,
        result="Giấy xác nhận tình trạng hôn nhân", result_code="XNHN", legal=HT_LAW,
        requirements="Giấy xác nhận tình trạng hôn nhân có giá trị 06 tháng kể từ ngày cấp và chỉ sử dụng "
                     "vào mục đích ghi trong Giấy. Trường hợp cần xác minh thì thời hạn được kéo dài không "
                     "quá 23 ngày làm việc.",
        applicants="Công dân Việt Nam", online=FULL,
        docs=[
            _doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu",
                 form="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (Mẫu TP/HT-2020-XNHN.1)"),
            _opt("Bản án, quyết định ly hôn đã có hiệu lực pháp luật hoặc giấy tờ chứng minh việc vợ/chồng "
                 "đã chết (trường hợp đã từng kết hôn)"),
            _opt("Giấy xác nhận tình trạng hôn nhân đã cấp trước đây (trường hợp đề nghị cấp lại)", 1, 0),
        ],
    ),
    dict(
        code="2.000635", name="Cấp bản sao Trích lục hộ tịch", field="HOTICH", level="commune",
        competent="Ủy ban nhân dân cấp xã", time="0.5", on_the_spot=True,
        fee=8000, fee_description="Phí cấp bản sao Trích lục hộ tịch: 8.000 đồng/bản sao (Thông tư số "
                                  "281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính).",
        result="Bản sao Trích lục hộ tịch", result_code="TLHT", legal=HT_LAW,
        requirements="Cơ quan đăng ký hộ tịch cấp bản sao trích lục về sự kiện hộ tịch đã được đăng ký tại "
                     "cơ quan mình hoặc đã có trong Cơ sở dữ liệu hộ tịch điện tử.",
        applicants="Cá nhân, tổ chức", online=FULL,
        docs=[
            _doc("Tờ khai cấp bản sao Trích lục hộ tịch theo mẫu",
                 form="Tờ khai cấp bản sao trích lục hộ tịch (Mẫu TP/HT-2020-TLBS)"),
            _opt("Văn bản ủy quyền (trường hợp ủy quyền cho người khác thực hiện)", 1, 0),
        ],
        appraise="Tra cứu Sổ hộ tịch, Cơ sở dữ liệu hộ tịch điện tử, in bản sao trích lục",
    ),
    dict(
        code="1.001022", name="Đăng ký nhận cha, mẹ, con", field="HOTICH", level="commune",
        competent="Chủ tịch Ủy ban nhân dân cấp xã", time=3, fee=15000, fee_description=HT_FEE,
        result="Trích lục đăng ký nhận cha, mẹ, con", result_code="NCMC", legal=HT_LAW,
        requirements="Bên nhận, bên được nhận là cha, mẹ, con phải có mặt khi đăng ký; việc nhận cha, mẹ, "
                     "con là tự nguyện và không có tranh chấp. Trường hợp cần xác minh thì thời hạn được kéo "
                     "dài thêm không quá 05 ngày làm việc.",
        applicants="Công dân Việt Nam", online=PART, postal=(False, True),
        docs=[
            _doc("Tờ khai đăng ký nhận cha, mẹ, con theo mẫu",
                 form="Tờ khai đăng ký nhận cha, mẹ, con (Mẫu TP/HT-2020-CMC.1)"),
            _doc("Văn bản của cơ quan y tế, cơ quan giám định hoặc cơ quan có thẩm quyền xác nhận quan hệ "
                 "cha, mẹ, con; nếu không có thì thư từ, phim ảnh, đồ dùng chứng minh quan hệ cha, mẹ, con "
                 "và văn bản cam đoan của cha, mẹ"),
            _opt("Giấy khai sinh của người được nhận"),
        ],
    ),
    dict(
        code="1.004859", name="Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", field="HOTICH",
        level="commune", competent="Chủ tịch Ủy ban nhân dân cấp xã", time=3, fee=15000,
        fee_description="Lệ phí thay đổi, cải chính hộ tịch: 15.000 đồng/trường hợp; bổ sung thông tin hộ "
                        "tịch không thu lệ phí; miễn cho người thuộc gia đình có công với cách mạng, hộ "
                        "nghèo, người khuyết tật.",
        result="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch", result_code="CCHT", legal=HT_LAW,
        requirements="Việc thay đổi hộ tịch cho người từ đủ 09 tuổi trở lên phải có sự đồng ý của người đó. "
                     "Trường hợp cần xác minh thì thời hạn được kéo dài thêm không quá 03 ngày làm việc.",
        applicants="Công dân Việt Nam", online=PART,
        docs=[
            _doc("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch theo mẫu",
                 form="Tờ khai thay đổi, cải chính, bổ sung thông tin hộ tịch (Mẫu TP/HT-2020-TĐCC)"),
            _doc("Giấy tờ làm căn cứ cho việc thay đổi, cải chính, bổ sung thông tin hộ tịch", 0, 1),
            _doc("Giấy khai sinh hoặc giấy tờ hộ tịch cần thay đổi, cải chính"),
        ],
    ),
    # ---------------------------------------------------------------- commune level: chứng thực
    dict(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt "
             "Nam cấp hoặc chứng nhận",
        field="CHUNGTHUC", level="commune", competent="Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã",
        time=4, unit=WH, on_the_spot=True, fee=2000,
        fee_description="2.000 đồng/trang; từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa không quá "
                        "200.000 đồng/bản (Thông tư số 226/2016/TT-BTC).",
        result="Bản sao được chứng thực từ bản chính", result_code="CTBS", legal=CT_LAW,
        requirements="Không chứng thực bản sao từ bản chính bị tẩy xóa, sửa chữa, thêm, bớt nội dung không "
                     "hợp lệ; bị hư hỏng, cũ nát không xác định được nội dung; đóng dấu mật hoặc không được "
                     "phép phổ biến. Tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
        applicants="Cá nhân, tổ chức", online=LEVEL2, postal=(False, True),
        docs=[
            _doc("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"),
            _doc("Bản sao cần chứng thực (nếu người yêu cầu chỉ xuất trình bản chính thì cơ quan chụp từ bản "
                 "chính)", 0, 1),
        ],
        units=("Công chức Tư pháp - Hộ tịch", "Người thực hiện chứng thực (Lãnh đạo UBND cấp xã)",
               "Văn thư UBND cấp xã"),
        appraise="Đối chiếu bản sao với bản chính, ghi lời chứng", approve="Người thực hiện chứng thực ký",
        issue="Đóng dấu, ghi số chứng thực vào sổ chứng thực",
    ),
    dict(
        code="2.000884",
        name="Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và "
             "trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)",
        field="CHUNGTHUC", level="commune", competent="Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã",
        time=4, unit=WH, on_the_spot=True, fee=10000,
        fee_description="10.000 đồng/trường hợp (một trường hợp là một hoặc nhiều chữ ký trong cùng một giấy "
                        "tờ, văn bản) (Thông tư số 226/2016/TT-BTC).",
        result="Giấy tờ, văn bản được chứng thực chữ ký", result_code="CTCK", legal=CT_LAW,
        requirements="Người yêu cầu chứng thực phải ký trước mặt người thực hiện chứng thực; không chứng "
                     "thực chữ ký trong giấy tờ có nội dung trái pháp luật, đạo đức xã hội hoặc là hợp đồng, "
                     "giao dịch (trừ trường hợp pháp luật có quy định khác).",
        applicants="Cá nhân", online=LEVEL2, postal=(False, False),
        docs=[
            _doc("Giấy tờ, văn bản mà người yêu cầu chứng thực sẽ ký"),
            _doc("Thẻ căn cước, Căn cước công dân hoặc Hộ chiếu còn giá trị sử dụng (xuất trình bản chính)"),
        ],
        units=("Công chức Tư pháp - Hộ tịch", "Người thực hiện chứng thực (Lãnh đạo UBND cấp xã)",
               "Văn thư UBND cấp xã"),
        appraise="Kiểm tra giấy tờ, chứng kiến người yêu cầu ký, ghi lời chứng",
        approve="Người thực hiện chứng thực ký", issue="Đóng dấu, ghi số chứng thực vào sổ chứng thực",
    ),
    dict(
        code="2.001035",
        name="Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
        field="CHUNGTHUC", level="commune", competent="Chủ tịch, Phó Chủ tịch Ủy ban nhân dân cấp xã",
        time=2, fee=50000,
        fee_description="Chứng thực hợp đồng, giao dịch: 50.000 đồng/hợp đồng, giao dịch; sửa đổi, bổ sung "
                        "hợp đồng: 30.000 đồng/hợp đồng; sửa lỗi sai sót: 25.000 đồng/hợp đồng "
                        "(Thông tư số 226/2016/TT-BTC).",
        result="Hợp đồng, giao dịch được chứng thực", result_code="CTHD", legal=CT_LAW,
        requirements="Các bên tham gia hợp đồng, giao dịch có năng lực hành vi dân sự, ký trước mặt người "
                     "thực hiện chứng thực; nội dung hợp đồng không vi phạm điều cấm của luật, không trái "
                     "đạo đức xã hội. Người yêu cầu chứng thực chịu trách nhiệm về tính hợp pháp của giấy "
                     "tờ.",
        applicants="Cá nhân, tổ chức", online=LEVEL2, postal=(False, True),
        docs=[
            _doc("Dự thảo hợp đồng, giao dịch"),
            _doc("Thẻ căn cước, Căn cước công dân hoặc Hộ chiếu còn giá trị sử dụng của người yêu cầu chứng "
                 "thực", 0, 1),
            _doc("Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất hoặc giấy tờ "
                 "chứng minh quyền sở hữu, quyền sử dụng tài sản", 0, 1),
            _opt("Văn bản ủy quyền hoặc giấy tờ chứng minh thẩm quyền của người đại diện (nếu có)"),
        ],
        units=("Công chức Tư pháp - Hộ tịch", "Người thực hiện chứng thực (Lãnh đạo UBND cấp xã)",
               "Văn thư UBND cấp xã"),
    ),
    # ---------------------------------------------------------------- commune level: kinh tế
    # 2.000720 is the amended procedure: see AMENDED_V1 below for its 2021 district-level version.
    dict(
        code="2.000720", name="Đăng ký thành lập hộ kinh doanh", field="HOKINHDOANH", level="commune",
        competent="Phòng Kinh tế (Phòng Kinh tế, Hạ tầng và Đô thị) thuộc Ủy ban nhân dân cấp xã",
        time=3, fee=100000, version=2, change=Change.AMENDED,
        fee_description="Lệ phí đăng ký hộ kinh doanh: 100.000 đồng/lần; miễn lệ phí khi đăng ký qua mạng "
                        "thông tin điện tử (Nghị quyết của HĐND tỉnh Ninh Bình).",
        result="Giấy chứng nhận đăng ký hộ kinh doanh", result_code="HKD", legal=DN_LAW,
        requirements="Ngành, nghề đăng ký kinh doanh không bị cấm đầu tư kinh doanh; tên hộ kinh doanh được "
                     "đặt theo đúng quy định; có hồ sơ hợp lệ; nộp đủ lệ phí. Hộ kinh doanh do một cá nhân "
                     "hoặc các thành viên hộ gia đình đăng ký thành lập và chịu trách nhiệm bằng toàn bộ tài "
                     "sản của mình.",
        applicants="Cá nhân, thành viên hộ gia đình là công dân Việt Nam", online=FULL,
        docs=[
            _doc("Giấy đề nghị đăng ký hộ kinh doanh",
                 form="Giấy đề nghị đăng ký hộ kinh doanh (Phụ lục III-1 Thông tư số 68/2025/TT-BTC)"),
            _opt("Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (trường hợp các thành "
                 "viên hộ gia đình đăng ký hộ kinh doanh)"),
            _opt("Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh"),
        ],
        units=(COMMUNE_ECONOMY, "Lãnh đạo Phòng Kinh tế", "Văn thư UBND cấp xã"),
    ),
    dict(
        code="1.009994", name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", field="XAYDUNG",
        level="commune", competent="Chủ tịch Ủy ban nhân dân cấp xã", time=15, fee=75000,
        fee_description="Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ: 75.000 đồng/giấy phép; gia hạn, cấp "
                        "lại: 15.000 đồng/giấy phép (Nghị quyết của HĐND tỉnh Ninh Bình).",
        result="Giấy phép xây dựng", result_code="GPXD", legal=XD_LAW,
        requirements="Phù hợp với quy hoạch chi tiết xây dựng hoặc quy chế quản lý kiến trúc; bảo đảm an "
                     "toàn cho công trình và công trình lân cận, yêu cầu về bảo vệ môi trường, phòng cháy, "
                     "chữa cháy. " + XD_SUPPLEMENT,
        applicants="Hộ gia đình, cá nhân", online=PART, supplement=(7, 15),
        docs=[
            _doc("Đơn đề nghị cấp giấy phép xây dựng",
                 form="Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định số "
                      "175/2024/NĐ-CP)"),
            _doc("Một trong những giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất "
                 "đai",
                 0, 1),
            _doc("Bản vẽ thiết kế xây dựng: mặt bằng công trình trên lô đất, mặt bằng, mặt cắt, mặt đứng "
                 "chính; mặt bằng móng và sơ đồ đấu nối hạ tầng kỹ thuật", 2, 0),
            _opt("Bản cam kết bảo đảm an toàn đối với công trình liền kề (trường hợp có công trình liền kề)",
                 1, 0),
        ],
        units=(COMMUNE_ECONOMY, "Lãnh đạo UBND cấp xã", "Văn thư UBND cấp xã"),
        extra=[_step("Kiểm tra thực địa, lập biên bản kiểm tra hiện trạng", COMPETENT, Role.HANDLER, 2,
                     unit=COMMUNE_ECONOMY)],
    ),
    dict(
        code="1.012980",
        name="Xác nhận về điều kiện nhà ở, điều kiện thu nhập để được mua, thuê mua nhà ở xã hội",
        field="NHAO", level="commune", competent="Chủ tịch Ủy ban nhân dân cấp xã", time=7, fee=0,
        fee_description="Không thu phí, lệ phí.",
        result="Giấy xác nhận về điều kiện nhà ở, thu nhập", result_code="NOXH",
        legal="Luật Nhà ở số 27/2023/QH15 ngày 27/11/2023; Nghị định số 100/2024/NĐ-CP ngày 26/7/2024 của "
              "Chính phủ quy định chi tiết một số điều của Luật Nhà ở về phát triển và quản lý nhà ở xã hội; "
              "Thông tư số 05/2024/TT-BXD ngày 31/7/2024 của Bộ trưởng Bộ Xây dựng.",
        requirements="Thuộc đối tượng quy định tại Điều 76 Luật Nhà ở; chưa có nhà ở thuộc sở hữu của mình "
                     "tại tỉnh nơi có dự án nhà ở xã hội hoặc có nhà ở nhưng diện tích bình quân đầu người "
                     "thấp hơn 15 m² sàn/người; đáp ứng điều kiện thu nhập theo quy định của Chính phủ.",
        applicants="Hộ gia đình, cá nhân thuộc đối tượng được hưởng chính sách nhà ở xã hội", online=LEVEL3,
        docs=[
            _doc("Đơn đề nghị xác nhận điều kiện nhà ở, thu nhập",
                 form="Mẫu số 01 Phụ lục I ban hành kèm theo Thông tư số 05/2024/TT-BXD"),
            _doc("Giấy tờ chứng minh thuộc đối tượng được hưởng chính sách hỗ trợ về nhà ở xã hội", 0, 1),
        ],
        units=(COMMUNE_ECONOMY, "Lãnh đạo UBND cấp xã", "Văn thư UBND cấp xã"),
    ),
    dict(
        code="1.003554", name="Hòa giải tranh chấp đất đai", field="DATDAI", level="commune",
        competent="Chủ tịch Ủy ban nhân dân cấp xã (Hội đồng hòa giải tranh chấp đất đai)", time=30, unit=CD,
        fee=0, fee_description="Không thu phí, lệ phí.",
        result="Biên bản hòa giải thành hoặc hòa giải không thành", result_code="HGDD",
        legal="Luật Đất đai số 31/2024/QH15 ngày 18/01/2024 (Điều 235); Nghị định số 102/2024/NĐ-CP ngày "
              "30/7/2024 của Chính phủ quy định chi tiết thi hành một số điều của Luật Đất đai.",
        requirements="Các bên tranh chấp không tự hòa giải được thì gửi đơn đến Ủy ban nhân dân cấp xã nơi "
                     "có đất tranh chấp. Thời hạn hòa giải không quá 30 ngày kể từ ngày Ủy ban nhân dân cấp "
                     "xã nhận được đơn.",
        applicants="Hộ gia đình, cá nhân, tổ chức, cộng đồng dân cư", online=LEVEL2, postal=(True, False),
        docs=[
            _doc("Đơn yêu cầu hòa giải tranh chấp đất đai"),
            _opt("Giấy tờ, tài liệu có liên quan đến nguồn gốc, quá trình sử dụng đất (nếu có)"),
        ],
        steps=[
            _step("Tiếp nhận đơn, kiểm tra hồ sơ; chuyển Ủy ban nhân dân cấp "
                  "xã", RECEIVING, Role.RECEIVER, 1),
            _step("Thẩm tra, xác minh nguyên nhân phát sinh tranh chấp, thu thập giấy tờ, tài "
                  "liệu", COMPETENT,
                  Role.HANDLER, None, unit=COMMUNE_ECONOMY),
            _step("Thành lập Hội đồng hòa giải, tổ chức cuộc họp hòa giải có sự tham gia của các bên",
                  COMPETENT, Role.APPROVER, 5, unit="Chủ tịch Hội đồng hòa giải tranh chấp đất đai"),
            _step("Lập biên bản hòa giải thành hoặc không thành, vào sổ, gửi các "
                  "bên", COMPETENT, Role.CLERK, 2,
                  unit="Văn thư UBND cấp xã"),
            _step("Trả biên bản hòa giải cho các bên", RECEIVING, Role.RECEIVER, 1),
        ],
    ),
    # ---------------------------------------------------------------- commune level: xã hội
    dict(
        code="1.001776",
        name="Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi "
             "dưỡng hằng tháng",
        field="BTXH", level="commune", competent="Chủ tịch Ủy ban nhân dân cấp xã", time=15, fee=0,
        fee_description="Không thu phí, lệ phí.",
        result="Quyết định trợ cấp xã hội hằng tháng của Chủ tịch UBND cấp xã", result_code="TCXH",
        legal=BTXH_LAW,
        requirements="Thuộc đối tượng quy định tại Điều 5 Nghị định số 20/2021/NĐ-CP (trẻ em dưới 16 tuổi "
                     "không có nguồn nuôi dưỡng, người cao tuổi thuộc hộ nghèo, người khuyết tật nặng, đặc "
                     "biệt nặng…). Mức chuẩn trợ giúp xã hội: 500.000 đồng/tháng.",
        applicants="Đối tượng bảo trợ xã hội hoặc người giám hộ", online=PART,
        docs=[
            _doc("Tờ khai đề nghị trợ giúp xã hội",
                 form="Tờ khai đề nghị trợ giúp xã hội (Mẫu số 1a, 1b, 1c, 1d, 1đ Nghị định số "
                      "20/2021/NĐ-CP)"),
            _opt("Giấy xác nhận khuyết tật (đối với người khuyết tật)"),
            _opt("Giấy tờ chứng minh thuộc hộ nghèo, hộ cận nghèo (trường hợp chưa có trên cơ sở dữ liệu)"),
        ],
        units=(COMMUNE_SOCIAL, "Lãnh đạo UBND cấp xã", "Văn thư UBND cấp xã"),
        extra=[_step("Hội đồng xét duyệt trợ giúp xã hội họp xét duyệt; niêm yết công khai kết quả trong 02 "
                     "ngày làm việc", COMPETENT, Role.HANDLER, 4, unit=COMMUNE_SOCIAL)],
    ),
    dict(
        code="1.001758", name="Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", field="BTXH",
        level="commune", competent="Chủ tịch Ủy ban nhân dân cấp xã", time=3, fee=0,
        fee_description="Không thu phí, lệ phí.",
        result="Quyết định hỗ trợ chi phí mai táng (mức hỗ trợ 10.000.000 đồng)", result_code="MTP",
        legal=BTXH_LAW + " " + LIEN_THONG_LAW,
        requirements="Người đang hưởng trợ cấp xã hội hằng tháng, người thuộc hộ nghèo, hộ cận nghèo… khi "
                     "chết được hỗ trợ chi phí mai táng bằng 20 lần mức chuẩn trợ giúp xã hội. Hồ sơ có thể "
                     "nộp cùng hồ sơ đăng ký khai tử theo cơ chế liên thông.",
        applicants="Cơ quan, tổ chức, gia đình hoặc cá nhân tổ chức mai táng", online=FULL,
        docs=[
            _doc("Tờ khai đề nghị hỗ trợ chi phí mai táng",
                 form="Tờ khai đề nghị hỗ trợ chi phí mai táng (Mẫu số 04 Nghị định số 20/2021/NĐ-CP)"),
            _opt("Giấy báo tử hoặc trích lục khai tử (cơ quan tự khai thác nếu đã có trong Cơ sở dữ liệu hộ "
                 "tịch điện tử)"),
        ],
        units=(COMMUNE_SOCIAL, "Lãnh đạo UBND cấp xã", "Văn thư UBND cấp xã"),
    ),
    dict(
        code="1.010821",
        name="Giải quyết chế độ trợ cấp một lần, trợ cấp mai táng khi người có công với cách mạng từ trần",
        field="NCC", level="commune", competent="Giám đốc Sở Nội vụ (Ủy ban nhân dân cấp xã xác nhận, đề "
                                                "nghị)",
        time=10, fee=0, fee_description="Không thu phí, lệ phí.", inter=True,
        result="Quyết định trợ cấp một lần, trợ cấp mai táng", result_code="MTNCC",
        legal="Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14 ngày 09/12/2020; Nghị định "
              "số 131/2021/NĐ-CP ngày 30/12/2021 của Chính phủ quy định chi tiết và biện pháp thi hành Pháp "
              "lệnh Ưu đãi người có công với cách mạng; Nghị định số 77/2024/NĐ-CP ngày 01/7/2024 quy định "
              "mức hưởng trợ cấp, phụ cấp ưu đãi người có công với cách mạng; " + LIEN_THONG_LAW,
        requirements="Người có công với cách mạng đang hưởng trợ cấp ưu đãi hằng tháng từ trần; thân nhân "
                     "hoặc người tổ chức mai táng lập bản khai. Hồ sơ được tiếp nhận cùng thủ tục đăng ký "
                     "khai tử theo cơ chế liên thông.",
        applicants="Thân nhân hoặc người tổ chức mai táng người có công", online=LEVEL3,
        docs=[
            _doc("Bản khai của thân nhân hoặc người tổ chức mai táng",
                 form="Bản khai (Mẫu số 12 Phụ lục I Nghị định số 131/2021/NĐ-CP)"),
            _doc("Giấy báo tử hoặc trích lục khai tử", 0, 1),
            _opt("Văn bản ủy quyền của các thân nhân (trường hợp có nhiều thân nhân)", 1, 0),
        ],
        steps=[
            _step("Tiếp nhận, kiểm tra hồ sơ; chuyển Ủy ban nhân dân cấp xã",
                  RECEIVING, Role.RECEIVER, "0.5"),
            _step("Kiểm tra, xác nhận bản khai, lập danh sách đề nghị", COMPETENT, Role.HANDLER, None,
                  unit=COMMUNE_SOCIAL),
            _step("Chủ tịch UBND cấp xã ký văn bản đề nghị gửi Sở Nội vụ", COMPETENT, Role.APPROVER, "0.5",
                  unit="Lãnh đạo UBND cấp xã"),
            _step("Thẩm định hồ sơ, dự thảo quyết định trợ cấp", FIXED, Role.HANDLER, 3, HOME_AFFAIRS,
                  "Phòng Người có công - Sở Nội vụ", True),
            _step("Giám đốc Sở Nội vụ ký quyết định trợ cấp", FIXED, Role.APPROVER, "1.5", HOME_AFFAIRS,
                  "Lãnh đạo Sở Nội vụ", True),
            _step("Vào sổ, đóng dấu, phát hành quyết định; chuyển kết quả về Bộ phận một cửa", FIXED,
                  Role.CLERK, "0.5", HOME_AFFAIRS, "Văn thư Sở Nội vụ", True),
            _step("Trả kết quả, chi trả trợ cấp cho thân nhân", RECEIVING, Role.RECEIVER, "0.5"),
        ],
    ),
    dict(
        code="2.001240", name="Cấp Giấy phép bán lẻ sản phẩm rượu", field="THUONGMAI", level="commune",
        competent="Phòng Kinh tế (Phòng Kinh tế, Hạ tầng và Đô thị) thuộc Ủy ban nhân dân cấp xã",
        time=10, fee=600000,
        fee_description="Phí thẩm định điều kiện kinh doanh: tại các phường 1.200.000 đồng/điểm kinh "
                        "doanh/lần thẩm định; tại các xã 600.000 đồng/điểm kinh doanh/lần thẩm định (Thông "
                        "tư số 168/2016/TT-BTC).",
        result="Giấy phép bán lẻ sản phẩm rượu", result_code="GPBLR", legal=RUOU_LAW,
        requirements="Là doanh nghiệp, hợp tác xã hoặc hộ kinh doanh được thành lập theo quy định; có quyền "
                     "sử dụng hợp pháp địa điểm kinh doanh cố định, địa chỉ rõ ràng; sản phẩm rượu kinh "
                     "doanh bảo đảm điều kiện về nhãn hàng hóa, an toàn thực phẩm; có văn bản giới thiệu "
                     "hoặc hợp đồng mua bán với thương nhân sản xuất, phân phối hoặc bán buôn sản phẩm rượu.",
        applicants="Doanh nghiệp, hợp tác xã, hộ kinh doanh", online=PART,
        docs=[
            _doc("Đơn đề nghị cấp Giấy phép bán lẻ sản phẩm rượu",
                 form="Mẫu số 01 Phụ lục ban hành kèm theo Nghị định số 105/2017/NĐ-CP"),
            _doc("Giấy chứng nhận đăng ký doanh nghiệp, hợp tác xã hoặc Giấy chứng nhận đăng ký hộ kinh "
                 "doanh", 0, 1),
            _doc("Hợp đồng thuê, mượn hoặc giấy tờ chứng minh quyền sử dụng hợp pháp địa điểm bán lẻ", 0, 1),
            _doc("Văn bản giới thiệu hoặc hợp đồng mua bán của thương nhân sản xuất, phân phối hoặc bán buôn "
                 "sản phẩm rượu", 0, 1),
        ],
        units=(COMMUNE_ECONOMY, "Lãnh đạo UBND cấp xã", "Văn thư UBND cấp xã"),
    ),
    # ---------------------------------------------------------------- commune level: Công an (cư trú)
    dict(
        code="1.004194", name="Đăng ký thường trú", field="CUTRU", level="commune", agencies=[POLICE],
        competent="Công an cấp xã", time=7, fee=20000,
        fee_description="Lệ phí đăng ký thường trú: 20.000 đồng/lần; nộp hồ sơ trực tuyến: 10.000 đồng/lần "
                        "(Thông tư số 75/2022/TT-BTC); miễn cho trẻ em, người cao tuổi, người khuyết tật, "
                        "người có công với cách mạng, người thuộc hộ nghèo.",
        result="Thông báo kết quả giải quyết; thông tin thường trú được cập nhật vào Cơ sở dữ liệu về cư trú",
        result_code="DKTT", legal=CU_TRU_LAW + " " + LIEN_THONG_LAW,
        requirements="Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình hoặc được chủ hộ, chủ sở hữu "
                     "chỗ ở hợp pháp đồng ý cho đăng ký thường trú; trường hợp thuê, mượn, ở nhờ phải bảo "
                     "đảm diện tích nhà ở tối thiểu theo quy định của HĐND tỉnh.",
        applicants="Công dân Việt Nam", online=FULL,
        docs=[
            _doc("Tờ khai thay đổi thông tin cư trú",
                 form="Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số "
                      "66/2023/TT-BCA)"),
            _doc("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (trừ trường hợp thông tin đã có trong cơ sở dữ "
                 "liệu)", 0, 1),
            _opt("Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình (trường "
                 "hợp nhập vào hộ gia đình của người thân)"),
        ],
        units=COMMUNE_POLICE,
    ),
    dict(
        code="1.004206", name="Xóa đăng ký thường trú", field="CUTRU", level="commune", agencies=[POLICE],
        competent="Công an cấp xã", time=1, fee=0, fee_description="Không thu lệ phí.",
        result="Thông tin về việc xóa đăng ký thường trú được cập nhật vào Cơ sở dữ liệu về cư trú",
        result_code="XDKTT", legal=CU_TRU_LAW + " " + LIEN_THONG_LAW,
        requirements="Người thuộc một trong các trường hợp quy định tại Điều 24 Luật Cư trú (chết; bị Tòa án "
                     "tuyên bố mất tích hoặc đã chết; ra nước ngoài để định cư…). Thành viên hộ gia đình có "
                     "trách nhiệm nộp hồ sơ trong 07 ngày kể từ ngày người đó thuộc trường hợp bị xóa đăng "
                     "ký thường trú.",
        applicants="Công dân Việt Nam (người thuộc trường hợp bị xóa hoặc thành viên hộ gia "
                   "đình)", online=FULL,
        docs=[
            _doc("Tờ khai thay đổi thông tin cư trú", form="Tờ khai thay đổi thông tin cư trú (Mẫu CT01)"),
            _doc("Giấy tờ, tài liệu chứng minh thuộc trường hợp xóa đăng ký thường trú", 0, 1),
        ],
        units=COMMUNE_POLICE,
    ),
    # ---------------------------------------------------------------- province: Sở Tư pháp
    dict(
        code="2.000505",
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        field="LLTP", level="province", agencies=[JUSTICE], competent="Giám đốc Sở Tư pháp", time=10,
        inter=True, fee=200000,
        fee_description="Phí cung cấp thông tin lý lịch tư pháp: 200.000 đồng/lần/người; sinh viên, người có "
                        "công với cách mạng, thân nhân liệt sĩ: 100.000 đồng/lần/người; miễn phí đối với trẻ "
                        "em, người cao tuổi, người khuyết tật, người thuộc hộ nghèo. Từ Phiếu thứ 3 trở đi "
                        "trong một lần yêu cầu thu thêm 5.000 đồng/Phiếu (Thông tư số 244/2016/TT-BTC).",
        result="Phiếu lý lịch tư pháp số 1 hoặc số 2", result_code="LLTP",
        legal="Luật Lý lịch tư pháp số 28/2009/QH12 ngày 17/6/2009; Nghị định số 111/2010/NĐ-CP ngày "
              "23/11/2010 của Chính phủ quy định chi tiết một số điều của Luật Lý lịch tư pháp; Thông tư số "
              "13/2011/TT-BTP ngày 27/6/2011 và Thông tư số 16/2013/TT-BTP ngày 11/11/2013 của Bộ trưởng Bộ "
              "Tư pháp; Thông tư số 244/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy định mức thu, chế "
              "độ thu, nộp, quản lý và sử dụng phí cung cấp thông tin lý lịch tư pháp.",
        requirements="Trường hợp người được cấp Phiếu đã cư trú ở nhiều nơi, có thời gian cư trú ở nước "
                     "ngoài, là người nước ngoài hoặc phải xác minh về điều kiện đương nhiên được xóa án "
                     "tích thì thời hạn không quá 15 ngày.",
        applicants="Công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", online=FULL,
        docs=[
            _doc("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                 form="Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)"),
            _doc("Bản chụp Thẻ căn cước, Căn cước công dân hoặc Hộ chiếu của người được cấp Phiếu", 0, 1),
            _opt("Văn bản ủy quyền (trường hợp ủy quyền yêu cầu cấp Phiếu lý lịch tư pháp số 1)", 1, 0),
        ],
        steps=[
            _step("Tiếp nhận, kiểm tra hồ sơ; chuyển Sở Tư pháp", RECEIVING, Role.RECEIVER, "0.5"),
            _step("Tra cứu Cơ sở dữ liệu lý lịch tư pháp; gửi yêu cầu tra cứu, xác minh thông tin án tích",
                  COMPETENT, Role.HANDLER, "1.5", unit="Phòng Hành chính tư pháp"),
            _step("Tra cứu, xác minh thông tin về án tích, tình trạng thi hành án", FIXED, Role.HANDLER, 5,
                  POLICE, "Phòng Hồ sơ nghiệp vụ - Công an tỉnh", True),
            _step("Tổng hợp kết quả xác minh, lập Phiếu lý lịch tư pháp", COMPETENT, Role.HANDLER, None,
                  unit="Phòng Hành chính tư pháp"),
            _step("Lãnh đạo Sở Tư pháp ký Phiếu lý lịch tư pháp", COMPETENT, Role.APPROVER, 1,
                  unit="Lãnh đạo Sở Tư pháp"),
            _step("Vào sổ, đóng dấu, phát hành Phiếu", COMPETENT, Role.CLERK, "0.25", unit="Văn thư Sở Tư "
                                                                                           "pháp"),
            _step("Trả Phiếu lý lịch tư pháp", RECEIVING, Role.RECEIVER, "0.25"),
        ],
    ),
    dict(
        code="1.005140", name="Xác nhận có quốc tịch Việt Nam ở trong nước", field="QUOCTICH",
        level="province", agencies=[JUSTICE], competent="Giám đốc Sở Tư pháp", time=15, inter=True,
        fee=100000, fee_description="Lệ phí: 100.000 đồng/trường hợp (Thông tư số 281/2016/TT-BTC).",
        result="Giấy xác nhận có quốc tịch Việt Nam", result_code="XNQT",
        legal="Luật Quốc tịch Việt Nam số 24/2008/QH12 (sửa đổi, bổ sung năm 2014 và năm 2025); Nghị định số "
              "16/2020/NĐ-CP ngày 03/02/2020 của Chính phủ quy định chi tiết một số điều và biện pháp thi "
              "hành Luật Quốc tịch Việt Nam; Thông tư số 02/2020/TT-BTP ngày 08/4/2020 của Bộ trưởng Bộ Tư "
              "pháp; Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính.",
        requirements="Người đang cư trú trong nước chưa có giấy tờ chứng minh quốc tịch Việt Nam. Trường hợp "
                     "cần xác minh, Sở Tư pháp đề nghị Công an tỉnh xác minh về nhân thân của người đề nghị.",
        applicants="Cá nhân đang cư trú tại Việt Nam", online=LEVEL3,
        docs=[
            _doc("Tờ khai đề nghị xác nhận có quốc tịch Việt Nam",
                 form="Mẫu TP/QT-2020-TKXNCQT ban hành kèm theo Thông tư số 02/2020/TT-BTP"),
            _doc("Giấy tờ làm căn cứ xác định quốc tịch Việt Nam (Giấy khai sinh, quyết định cho nhập quốc "
                 "tịch, giấy tờ của cha, mẹ…)", 0, 1),
            _doc("Giấy tờ tùy thân còn giá trị sử dụng", 0, 1),
        ],
        steps=[
            _step("Tiếp nhận, kiểm tra hồ sơ; chuyển Sở Tư pháp", RECEIVING, Role.RECEIVER, "0.5"),
            _step("Kiểm tra hồ sơ, tra cứu sổ sách, đề nghị xác minh nhân "
                  "thân", COMPETENT, Role.HANDLER, None,
                  unit="Phòng Hành chính tư pháp"),
            _step("Xác minh nhân thân của người đề nghị", FIXED, Role.HANDLER, 10, POLICE,
                  "Phòng Quản lý xuất nhập cảnh - Công an tỉnh", True),
            _step("Lãnh đạo Sở Tư pháp ký Giấy xác nhận", COMPETENT, Role.APPROVER, 1,
                  unit="Lãnh đạo Sở Tư pháp"),
            _step("Vào sổ, đóng dấu, phát hành", COMPETENT, Role.CLERK, "0.5", unit="Văn thư Sở Tư pháp"),
            _step("Trả kết quả", RECEIVING, Role.RECEIVER, "0.5"),
        ],
    ),
    # ---------------------------------------------------------------- province: Sở Xây dựng
    dict(
        code="1.009974",
        name="Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II (công trình không theo tuyến, theo "
             "tuyến trong đô thị, tín ngưỡng, tôn giáo, tượng đài, tranh hoành tráng)",
        field="XAYDUNG", level="province", agencies=[CONSTRUCTION], competent="Giám đốc Sở Xây dựng", time=20,
        fee=150000, supplement=(7, 15),
        fee_description="Lệ phí cấp giấy phép xây dựng công trình: 150.000 đồng/giấy phép (Nghị quyết của "
                        "HĐND tỉnh Ninh Bình).",
        result="Giấy phép xây dựng", result_code="GPXD", legal=XD_LAW,
        requirements="Phù hợp với quy hoạch đô thị, quy hoạch xây dựng được phê duyệt; bảo đảm an toàn công "
                     "trình, phòng cháy, chữa cháy, bảo vệ môi trường; thiết kế xây dựng đã được thẩm định, "
                     "phê duyệt theo quy định. " + XD_SUPPLEMENT,
        applicants="Chủ đầu tư (tổ chức, cá nhân)", online=PART,
        docs=[
            _doc("Đơn đề nghị cấp giấy phép xây dựng",
                 form="Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định số "
                      "175/2024/NĐ-CP)"),
            _doc("Giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai", 0, 1),
            _doc("Quyết định phê duyệt dự án; văn bản thông báo kết quả thẩm định của cơ quan chuyên môn về "
                 "xây dựng; văn bản thẩm duyệt thiết kế về phòng cháy và chữa cháy (nếu có)", 0, 1),
            _doc("Hai bộ bản vẽ thiết kế xây dựng trong hồ sơ thiết kế xây dựng được phê duyệt", 2, 0),
            _opt("Bản kê khai năng lực, kinh nghiệm của tổ chức, chủ nhiệm, chủ trì thiết kế", 1, 0),
        ],
        units=("Phòng Quản lý hoạt động xây dựng", "Lãnh đạo Sở Xây dựng", "Văn thư Sở Xây dựng"),
        extra=[_step("Kiểm tra thực địa; lấy ý kiến các cơ quan quản lý nhà nước về lĩnh vực liên quan (nếu "
                     "cần)", COMPETENT, Role.HANDLER, 3, unit="Phòng Quản lý hoạt động xây dựng")],
    ),
    dict(
        code="1.009982", name="Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", field="XAYDUNG",
        level="province", agencies=[CONSTRUCTION], competent="Giám đốc Sở Xây dựng", time=20, fee=300000,
        fee_description="Phí thẩm định cấp chứng chỉ hành nghề hoạt động xây dựng: 300.000 đồng/chứng chỉ "
                        "(Thông tư số 38/2022/TT-BTC).",
        result="Chứng chỉ hành nghề hoạt động xây dựng", result_code="CCHNXD", legal=XD_LAW,
        requirements="Có trình độ chuyên môn được đào tạo, thời gian và kinh nghiệm tham gia công việc phù "
                     "hợp với nội dung đề nghị cấp chứng chỉ; đạt yêu cầu sát hạch về kinh nghiệm nghề "
                     "nghiệp và kiến thức pháp luật liên quan.",
        applicants="Cá nhân", online=LEVEL3,
        docs=[
            _doc("Đơn đề nghị cấp chứng chỉ hành nghề hoạt động xây dựng",
                 form="Mẫu số 04 Phụ lục IV Nghị định số 175/2024/NĐ-CP"),
            _doc("Văn bằng do cơ sở đào tạo hợp pháp cấp phù hợp với loại, hạng chứng chỉ đề nghị cấp", 0, 1),
            _doc("Bản khai kinh nghiệm công việc chuyên môn"),
            _doc("02 ảnh màu cỡ 4 x 6 cm nền trắng, chụp không quá 06 tháng", 2, 0),
        ],
        units=("Phòng Quản lý hoạt động xây dựng", "Lãnh đạo Sở Xây dựng", "Văn thư Sở Xây dựng"),
        extra=[_step("Tổ chức sát hạch; Hội đồng xét cấp chứng chỉ hành nghề họp "
                     "xét", COMPETENT, Role.HANDLER, 8,
                     unit="Hội đồng xét cấp chứng chỉ hành nghề Sở Xây dựng")],
    ),
    # ---------------------------------------------------------------- province: đất đai
    dict(
        code="1.012758",
        name="Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu "
             "tài sản gắn liền với đất lần đầu đối với tổ chức",
        field="DATDAI", level="province", agencies=[AGRI_ENV], competent="Sở Nông nghiệp và Môi trường",
        time=20, inter=True, fee=100000,
        fee_description=DD_FEE + " Thời gian thực hiện nghĩa vụ tài chính của người sử dụng đất không tính "
                                 "vào thời hạn giải quyết.",
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", result_code="GCN",
        legal=DD_LAW,
        requirements="Tổ chức đang sử dụng đất có giấy tờ về quyền sử dụng đất hoặc được Nhà nước giao đất, "
                     "cho thuê đất, công nhận quyền sử dụng đất; đất không có tranh chấp. Không tính vào "
                     "thời hạn: thời gian thực hiện nghĩa vụ tài chính, thời gian xử lý vi phạm pháp luật "
                     "đất đai, thời gian trưng cầu giám định.",
        applicants="Tổ chức trong nước, tổ chức tôn giáo, tổ chức kinh tế có vốn đầu tư nước ngoài",
        online=PART,
        docs=[
            _doc("Đơn đăng ký đất đai, tài sản gắn liền với đất",
                 form="Mẫu số 04/ĐK ban hành kèm theo Nghị định số 101/2024/NĐ-CP"),
            _doc("Một trong các giấy tờ về quyền sử dụng đất quy định tại Điều 137 Luật Đất đai (quyết định "
                 "giao đất, cho thuê đất…)", 0, 1),
            _opt("Giấy tờ về tài sản gắn liền với đất (trường hợp đăng ký quyền sở hữu tài sản)"),
            _opt("Chứng từ thực hiện nghĩa vụ tài chính; giấy tờ về miễn, giảm nghĩa vụ tài chính (nếu có)"),
            _opt("Mảnh trích đo bản đồ địa chính thửa đất (trường hợp chưa có bản đồ địa chính)", 1, 0),
        ],
        steps=[
            _step("Tiếp nhận, kiểm tra hồ sơ; chuyển Văn phòng Đăng ký đất đai",
                  RECEIVING, Role.RECEIVER, "0.5"),
            _step("Kiểm tra hồ sơ, xác minh thực địa, trích lục bản đồ địa chính; gửi thông tin địa chính "
                  "đến cơ quan thuế", FIXED, Role.HANDLER, None, LAND_OFFICE, LAND_UNITS[0]),
            _step("Xác định và thông báo nghĩa vụ tài chính về đất "
                  "đai", FIXED, Role.HANDLER, 5, TAX, TAX_UNIT,
                  True),
            _step("Lãnh đạo Văn phòng Đăng ký đất đai kiểm tra, trình Sở Nông nghiệp và Môi trường", FIXED,
                  Role.APPROVER, 1, LAND_OFFICE, LAND_UNITS[1]),
            _step("Thẩm định, ký Giấy chứng nhận", COMPETENT, Role.APPROVER, 2,
                  unit="Lãnh đạo Sở Nông nghiệp và Môi trường"),
            _step("Vào sổ cấp Giấy chứng nhận, cập nhật hồ sơ địa chính và cơ sở dữ liệu đất đai", FIXED,
                  Role.CLERK, 2, LAND_OFFICE, LAND_UNITS[2]),
            _step("Trả Giấy chứng nhận cho người sử dụng đất", RECEIVING, Role.RECEIVER, "0.5"),
        ],
    ),
    dict(
        code="1.012766",
        name="Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường "
             "hợp chuyển nhượng, tặng cho, thừa kế",
        field="DATDAI", level="province", agencies=[LAND_OFFICE], competent="Văn phòng Đăng ký đất đai tỉnh",
        time=10, inter=True, fee=50000,
        fee_description=DD_FEE + " Lệ phí trước bạ, thuế thu nhập cá nhân nộp theo thông báo của cơ quan "
                                 "thuế; thời gian thực hiện nghĩa vụ tài chính không tính vào thời hạn giải "
                                 "quyết.",
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (cấp mới hoặc xác "
               "nhận thay đổi)", result_code="GCNBD", legal=DD_LAW,
        requirements="Có Giấy chứng nhận; đất không có tranh chấp hoặc tranh chấp đã được giải quyết; quyền "
                     "sử dụng đất không bị kê biên, áp dụng biện pháp khẩn cấp tạm thời; trong thời hạn sử "
                     "dụng đất; hợp đồng chuyển nhượng, tặng cho được công chứng hoặc chứng thực.",
        applicants="Cá nhân, tổ chức, cộng đồng dân cư", online=PART,
        docs=[
            _doc("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất",
                 form="Mẫu số 11/ĐK ban hành kèm theo Nghị định số 101/2024/NĐ-CP"),
            _doc("Hợp đồng, văn bản về chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất đã được công chứng "
                 "hoặc chứng thực"),
            _doc("Giấy chứng nhận đã cấp"),
            _doc("Tờ khai lệ phí trước bạ, tờ khai thuế thu nhập cá nhân (hoặc giấy tờ chứng minh thuộc đối "
                 "tượng được miễn)"),
        ],
        steps=[
            _step("Tiếp nhận, kiểm tra hồ sơ; chuyển Văn phòng Đăng ký đất đai",
                  RECEIVING, Role.RECEIVER, "0.5"),
            _step("Kiểm tra hồ sơ, chỉnh lý bản đồ (nếu có); gửi thông tin xác định nghĩa vụ tài chính",
                  COMPETENT, Role.HANDLER, None, unit=LAND_UNITS[0]),
            _step("Xác định, thông báo nghĩa vụ tài chính (lệ phí trước bạ, thuế thu nhập cá nhân)", FIXED,
                  Role.HANDLER, 3, TAX, TAX_UNIT, True),
            _step("Giám đốc Văn phòng Đăng ký đất đai ký Giấy chứng nhận hoặc xác nhận thay đổi", COMPETENT,
                  Role.APPROVER, 1, unit=LAND_UNITS[1]),
            _step("Chỉnh lý, cập nhật hồ sơ địa chính, cơ sở dữ liệu đất đai; vào "
                  "sổ", COMPETENT, Role.CLERK, 1,
                  unit=LAND_UNITS[2]),
            _step("Trả Giấy chứng nhận", RECEIVING, Role.RECEIVER, "0.5"),
        ],
    ),
    dict(
        code="1.012778",
        name="Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        field="DATDAI", level="province", agencies=[LAND_OFFICE], competent="Văn phòng Đăng ký đất đai tỉnh",
        time=7, fee=50000, fee_description=DD_FEE,
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        result_code="GCNCD",
        legal=DD_LAW,
        requirements="Giấy chứng nhận đã cấp bị ố, nhòe, rách, hư hỏng; đo đạc lại làm thay đổi kích thước, "
                     "diện tích thửa đất; hoặc người sử dụng đất có nhu cầu đổi sang Giấy chứng nhận theo "
                     "mẫu mới.",
        applicants="Cá nhân, tổ chức, cộng đồng dân cư", online=LEVEL3,
        docs=[
            _doc("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất", form="Mẫu số 11/ĐK"),
            _doc("Giấy chứng nhận đã cấp"),
        ],
        units=LAND_UNITS,
    ),
    dict(
        code="1.012790",
        name="Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do bị mất",
        field="DATDAI", level="province", agencies=[LAND_OFFICE], competent="Văn phòng Đăng ký đất đai tỉnh",
        time=10, fee=50000, fee_description=DD_FEE,
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        result_code="GCNCL",
        legal=DD_LAW,
        requirements="Người sử dụng đất khai báo việc mất Giấy chứng nhận với Ủy ban nhân dân cấp xã nơi có "
                     "đất; Ủy ban nhân dân cấp xã niêm yết thông báo trong 15 ngày (thời gian niêm yết không "
                     "tính vào thời hạn giải quyết).",
        applicants="Cá nhân, tổ chức, cộng đồng dân cư", online=LEVEL3,
        docs=[
            _doc("Đơn đề nghị cấp lại Giấy chứng nhận", form="Mẫu số 11/ĐK"),
            _doc("Giấy xác nhận của Ủy ban nhân dân cấp xã về việc đã niêm yết thông báo mất Giấy chứng "
                 "nhận"),
        ],
        units=LAND_UNITS,
        extra=[_step("Đăng tin thông báo mất Giấy chứng nhận; ra quyết định hủy Giấy chứng nhận bị mất",
                     COMPETENT, Role.HANDLER, 2, unit=LAND_UNITS[0])],
    ),
    dict(
        code="1.011300",
        name="Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        field="BPBD", level="province", agencies=[LAND_OFFICE], competent="Văn phòng Đăng ký đất đai tỉnh",
        time=1, on_the_spot=True, fee=80000,
        fee_description="Phí đăng ký biện pháp bảo đảm: 80.000 đồng/hồ sơ; miễn phí đối với cá nhân, hộ gia "
                        "đình vay vốn phục vụ phát triển nông nghiệp, nông thôn (Thông tư số "
                        "202/2016/TT-BTC).",
        result="Giấy chứng nhận được ghi, cập nhật nội dung đăng ký thế chấp", result_code="DKTC",
        legal="Bộ luật Dân sự số 91/2015/QH13; Luật Đất đai số 31/2024/QH15; Nghị định số 99/2022/NĐ-CP ngày "
              "30/11/2022 của Chính phủ về đăng ký biện pháp bảo đảm; Thông tư số 202/2016/TT-BTC ngày "
              "09/11/2016 quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí trong lĩnh vực đăng ký "
              "giao dịch bảo đảm.",
        requirements="Giải quyết trong ngày nhận hồ sơ; nhận sau 15 giờ thì hoàn thành trong ngày làm việc "
                     "tiếp theo; trường hợp phải kéo dài thì không quá 03 ngày làm việc.",
        applicants="Bên thế chấp, bên nhận thế chấp (tổ chức tín dụng, tổ chức, cá nhân)", online=LEVEL4,
        docs=[
            _doc("Phiếu yêu cầu đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất",
                 form="Mẫu số 01a Phụ lục ban hành kèm theo Nghị định số 99/2022/NĐ-CP"),
            _doc("Hợp đồng thế chấp (công chứng, chứng thực trong trường hợp luật yêu cầu)", 0, 1),
            _doc("Bản gốc Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"),
        ],
        units=LAND_UNITS,
    ),
    # ---------------------------------------------------------------- province: Sở Y tế
    dict(
        code="1.002425",
        name="Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn "
             "uống thuộc thẩm quyền của Sở Y tế",
        field="ATTP", level="province", agencies=[HEALTH], competent="Giám đốc Sở Y tế", time=20,
        decision="health", fee=1000000,
        fee_description="Phí thẩm định cấp Giấy chứng nhận: cơ sở kinh doanh dịch vụ ăn uống phục vụ dưới "
                        "200 suất ăn 700.000 đồng/lần/cơ sở; từ 200 suất ăn trở lên 1.000.000 đồng/lần/cơ sở "
                        "(Thông tư số 67/2021/TT-BTC).",
        result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (hiệu lực 03 năm)", result_code="ATTP",
        legal="Luật An toàn thực phẩm số 55/2010/QH12 ngày 17/6/2010; Nghị định số 15/2018/NĐ-CP ngày "
              "02/02/2018 của Chính phủ quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm; "
              "Nghị định số 155/2018/NĐ-CP ngày 12/11/2018; Thông tư số 67/2021/TT-BTC ngày 05/8/2021 quy "
              "định mức thu, chế độ thu, nộp, quản lý và sử dụng phí trong công tác an toàn thực phẩm.",
        requirements="Cơ sở đáp ứng điều kiện chung về bảo đảm an toàn thực phẩm và điều kiện đối với cơ sở "
                     "kinh doanh dịch vụ ăn uống (Điều 28 Luật An toàn thực phẩm); chủ cơ sở và người trực "
                     "tiếp chế biến đã được tập huấn kiến thức an toàn thực phẩm và đủ sức khỏe.",
        applicants="Tổ chức, cá nhân kinh doanh dịch vụ ăn uống", online=PART,
        docs=[
            _doc("Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
                 form="Mẫu số 01 Phụ lục I Nghị định số 155/2018/NĐ-CP"),
            _doc("Giấy chứng nhận đăng ký doanh nghiệp hoặc Giấy chứng nhận đăng ký hộ kinh doanh có ngành "
                 "nghề phù hợp", 0, 1),
            _doc("Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ bảo đảm điều kiện an toàn thực "
                 "phẩm", form="Mẫu số 02b Phụ lục I Nghị định số 155/2018/NĐ-CP"),
            _doc("Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp chế biến, kinh doanh thực phẩm",
                 0, 1),
            _doc("Giấy xác nhận đã được tập huấn kiến thức về an toàn thực phẩm", 0, 1),
        ],
        units=("Chi cục An toàn vệ sinh thực phẩm", "Lãnh đạo Sở Y tế", "Văn thư Sở Y tế"),
        extra=[_step("Thành lập đoàn thẩm định, thẩm định thực tế tại cơ sở", COMPETENT, Role.HANDLER, 5,
                     unit="Đoàn thẩm định - Chi cục An toàn vệ sinh thực phẩm")],
    ),
    dict(
        code="1.012261",
        name="Cấp mới giấy phép hành nghề đối với chức danh chuyên môn là bác sĩ, y sỹ, điều dưỡng, hộ sinh, "
             "kỹ thuật y, dinh dưỡng lâm sàng, cấp cứu viên ngoại viện, tâm lý lâm sàng",
        field="KCB", level="province", agencies=[HEALTH], competent="Giám đốc Sở Y tế", time=30, unit=CD,
        decision="health", fee=360000,
        fee_description="Phí thẩm định cấp giấy phép hành nghề khám bệnh, chữa bệnh: 360.000 đồng/hồ sơ "
                        "(Thông tư số 59/2023/TT-BTC).",
        result="Giấy phép hành nghề khám bệnh, chữa bệnh", result_code="GPHN",
        legal="Luật Khám bệnh, chữa bệnh số 15/2023/QH15 ngày 09/01/2023; Nghị định số 96/2023/NĐ-CP ngày "
              "30/12/2023 của Chính phủ quy định chi tiết một số điều của Luật Khám bệnh, chữa bệnh; Thông "
              "tư số 32/2023/TT-BYT ngày 31/12/2023 của Bộ trưởng Bộ Y tế; Thông tư số 59/2023/TT-BTC ngày "
              "30/8/2023 của Bộ Tài chính.",
        requirements="Có văn bằng phù hợp với chức danh chuyên môn; hoàn thành thời gian thực hành khám "
                     "bệnh, chữa bệnh; có giấy chứng nhận đủ sức khỏe; không thuộc trường hợp đang bị cấm "
                     "hành nghề, đang bị truy cứu trách nhiệm hình sự.",
        applicants="Cá nhân hành nghề khám bệnh, chữa bệnh", online=LEVEL3,
        docs=[
            _doc("Đơn đề nghị cấp mới giấy phép hành nghề", form="Mẫu 01 Phụ lục I Nghị định số "
                                                                 "96/2023/NĐ-CP"),
            _doc("Văn bằng chuyên môn phù hợp với chức danh đề nghị cấp", 0, 1),
            _doc("Giấy chứng nhận đủ sức khỏe để hành nghề khám bệnh, chữa bệnh"),
            _doc("Giấy xác nhận hoàn thành thực hành khám bệnh, chữa bệnh",
                 form="Mẫu 04 Phụ lục I Nghị định số 96/2023/NĐ-CP"),
            _opt("Phiếu lý lịch tư pháp (trường hợp chưa có dữ liệu trên Cơ sở dữ liệu quốc gia về dân cư)",
                 1, 0),
        ],
        units=("Phòng Nghiệp vụ Y - Sở Y tế", "Lãnh đạo Sở Y tế", "Văn thư Sở Y tế"),
        extra=[_step("Hội đồng chuyên môn xem xét, thẩm định hồ sơ", COMPETENT, Role.HANDLER, 10,
                     unit="Hội đồng tư vấn cấp giấy phép hành nghề")],
    ),
    # ---------------------------------------------------------------- province: Sở Tài chính
    dict(
        code="2.001199", name="Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        field="DOANHNGHIEP", level="province", agencies=[FINANCE],
        competent="Phòng Đăng ký kinh doanh thuộc Sở Tài chính", time=3, fee=50000, fee_description=DN_FEE,
        result="Giấy chứng nhận đăng ký doanh nghiệp", result_code="DN", legal=DN_LAW,
        requirements="Ngành, nghề đăng ký kinh doanh không bị cấm đầu tư kinh doanh; tên doanh nghiệp được "
                     "đặt theo đúng quy định tại các Điều 37, 38, 39 và 41 Luật Doanh nghiệp; có hồ sơ đăng "
                     "ký doanh nghiệp hợp lệ; nộp đủ lệ phí đăng ký doanh nghiệp.",
        applicants="Tổ chức, cá nhân", online=FULL,
        docs=[
            _doc("Giấy đề nghị đăng ký doanh nghiệp",
                 form="Giấy đề nghị đăng ký doanh nghiệp (Mẫu số 2 Phụ lục I Thông tư số 68/2025/TT-BTC)"),
            _doc("Điều lệ công ty"),
            _doc("Bản sao giấy tờ pháp lý của cá nhân (chủ sở hữu, người đại diện theo pháp luật) hoặc của "
                 "tổ chức là chủ sở hữu công ty", 0, 1),
            _opt("Văn bản cử người đại diện theo ủy quyền (trường hợp chủ sở hữu là tổ chức)", 1, 0),
            _opt("Giấy chứng nhận đăng ký đầu tư (trường hợp nhà đầu tư nước ngoài thành lập doanh nghiệp)"),
        ],
        units=("Phòng Đăng ký kinh doanh", "Trưởng phòng Đăng ký kinh doanh", "Phòng Đăng ký kinh doanh"),
    ),
    dict(
        code="2.002038",
        name="Đăng ký thay đổi người đại diện theo pháp luật của công ty trách nhiệm hữu hạn, công ty cổ "
             "phần, công ty hợp danh",
        field="DOANHNGHIEP", level="province", agencies=[FINANCE],
        competent="Phòng Đăng ký kinh doanh thuộc Sở Tài chính", time=3, fee=50000, fee_description=DN_FEE,
        result="Giấy chứng nhận đăng ký doanh nghiệp (cấp theo nội dung thay đổi)", result_code="DNTD",
        legal=DN_LAW,
        requirements="Doanh nghiệp không thuộc trường hợp bị tạm ngừng, khóa tình trạng pháp lý hoặc đang bị "
                     "xử lý vi phạm về đăng ký doanh nghiệp; hồ sơ hợp lệ.",
        applicants="Doanh nghiệp", online=FULL,
        docs=[
            _doc("Thông báo thay đổi nội dung đăng ký doanh nghiệp",
                 form="Mẫu số 6 Phụ lục I Thông tư số 68/2025/TT-BTC"),
            _doc("Nghị quyết, quyết định của chủ sở hữu, Hội đồng thành viên hoặc Hội đồng quản trị về việc "
                 "thay đổi người đại diện theo pháp luật"),
            _opt("Biên bản họp Hội đồng thành viên hoặc Hội đồng quản trị (công ty có từ hai thành viên, cổ "
                 "đông trở lên)"),
        ],
        units=("Phòng Đăng ký kinh doanh", "Trưởng phòng Đăng ký kinh doanh", "Phòng Đăng ký kinh doanh"),
    ),
    # ---------------------------------------------------------------- province: Sở Công Thương
    dict(
        code="2.000591", name="Cấp Giấy phép bán buôn sản phẩm rượu", field="THUONGMAI", level="province",
        agencies=[INDUSTRY_TRADE], competent="Giám đốc Sở Công Thương", time=10, fee=2200000,
        fee_description="Phí thẩm định cấp Giấy phép bán buôn sản phẩm rượu: 2.200.000 đồng/doanh nghiệp/lần "
                        "thẩm định (Thông tư số 168/2016/TT-BTC).",
        result="Giấy phép bán buôn sản phẩm rượu", result_code="GPBBR", legal=RUOU_LAW,
        requirements="Doanh nghiệp được thành lập theo quy định; có quyền sử dụng hợp pháp kho hàng với tổng "
                     "diện tích từ 50 m² hoặc thể tích từ 150 m³ trở lên; có hệ thống phân phối sản phẩm "
                     "rượu trên địa bàn tỉnh; có văn bản giới thiệu hoặc hợp đồng nguyên tắc của thương nhân "
                     "sản xuất, phân phối sản phẩm rượu.",
        applicants="Doanh nghiệp", online=PART,
        docs=[
            _doc("Đơn đề nghị cấp Giấy phép bán buôn sản phẩm rượu",
                 form="Mẫu số 01 Phụ lục ban hành kèm theo Nghị định số 105/2017/NĐ-CP"),
            _doc("Giấy chứng nhận đăng ký doanh nghiệp", 0, 1),
            _doc("Giấy tờ chứng minh quyền sử dụng hợp pháp kho hàng đáp ứng diện tích, thể tích theo quy "
                 "định", 0, 1),
            _doc("Hợp đồng nguyên tắc hoặc văn bản giới thiệu của thương nhân sản xuất, phân phối sản phẩm "
                 "rượu",
                 0, 1),
            _doc("Hợp đồng mua bán với các thương nhân bán lẻ sản phẩm rượu", 0, 1),
        ],
        units=("Phòng Quản lý thương mại", "Lãnh đạo Sở Công Thương", "Văn thư Sở Công Thương"),
        extra=[_step("Kiểm tra thực tế kho hàng, hệ thống phân phối (nếu cần)", COMPETENT, Role.HANDLER, 2,
                     unit="Phòng Quản lý thương mại")],
    ),
    # ---------------------------------------------------------------- province: Sở GD&ĐT
    dict(
        code="1.005092", name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", field="GIAODUC", level="province",
        agencies=[EDUCATION], competent="Giám đốc Sở Giáo dục và Đào tạo", time=1, on_the_spot=True, fee=0,
        fee_description="Không thu phí.",
        result="Bản sao bằng tốt nghiệp trung học phổ thông, chứng chỉ từ sổ gốc", result_code="BSVB",
        legal="Luật Giáo dục số 43/2019/QH14 ngày 14/6/2019; Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của "
              "Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính; Thông tư số "
              "21/2019/TT-BGDĐT ngày 29/11/2019 của Bộ trưởng Bộ Giáo dục và Đào tạo ban hành Quy chế quản "
              "lý bằng tốt nghiệp trung học cơ sở, bằng tốt nghiệp trung học phổ thông, văn bằng giáo dục "
              "đại học và chứng chỉ.",
        requirements="Cơ quan đang quản lý sổ gốc cấp văn bằng, chứng chỉ thực hiện cấp bản sao. Tiếp nhận "
                     "sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo; yêu cầu gửi qua bưu chính "
                     "hoặc số lượng lớn thì không quá 03 ngày làm việc.",
        applicants="Người được cấp văn bằng, chứng chỉ; người được ủy quyền hoặc người thân thích theo quy "
                   "định",
        online=LEVEL4,
        docs=[
            _doc("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
                 form="Mẫu đơn ban hành kèm theo Thông tư số 21/2019/TT-BGDĐT"),
            _opt("Giấy tờ chứng minh quan hệ với người được cấp văn bằng (trường hợp người yêu cầu là người "
                 "thân thích, người thừa kế)"),
        ],
        units=("Phòng Quản lý chất lượng", "Lãnh đạo Sở Giáo dục và Đào tạo", "Văn thư Sở Giáo dục và Đào "
                                                                              "tạo"),
    ),
    # ---------------------------------------------------------------- province: Sở Nội vụ
    dict(
        code="1.000459", name="Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
        field="VIECLAM", level="province", agencies=[HOME_AFFAIRS], competent="Giám đốc Sở Nội vụ", time=5,
        fee=600000,
        fee_description="Lệ phí cấp giấy phép lao động: 600.000 đồng/giấy phép (Nghị quyết của HĐND tỉnh "
                        "Ninh Bình).",
        result="Giấy phép lao động", result_code="GPLD",
        legal="Bộ luật Lao động số 45/2019/QH14 ngày 20/11/2019; Nghị định số 152/2020/NĐ-CP ngày 30/12/2020 "
              "của Chính phủ quy định về người lao động nước ngoài làm việc tại Việt Nam; Nghị định số "
              "70/2023/NĐ-CP ngày 18/9/2023 sửa đổi, bổ sung một số điều của Nghị định số 152/2020/NĐ-CP; "
              "Nghị quyết của HĐND tỉnh Ninh Bình quy định mức thu lệ phí cấp giấy phép lao động.",
        requirements="Người lao động nước ngoài từ đủ 18 tuổi trở lên, có năng lực hành vi dân sự đầy đủ; có "
                     "trình độ chuyên môn, kinh nghiệm phù hợp; có đủ sức khỏe; người sử dụng lao động đã "
                     "được chấp thuận nhu cầu sử dụng người lao động nước ngoài. Hồ sơ nộp trước ít nhất 15 "
                     "ngày kể từ ngày dự kiến bắt đầu làm việc.",
        applicants="Người sử dụng lao động (doanh nghiệp, cơ quan, tổ chức)", online=LEVEL4,
        docs=[
            _doc("Văn bản đề nghị cấp giấy phép lao động của người sử dụng lao động",
                 form="Mẫu số 11/PLI Phụ lục I Nghị định số 152/2020/NĐ-CP"),
            _doc("Giấy chứng nhận sức khỏe do cơ sở y tế có thẩm quyền cấp, có giá trị trong thời hạn 12 "
                 "tháng"),
            _doc("Phiếu lý lịch tư pháp hoặc văn bản xác nhận không phải là người phạm tội hoặc bị truy cứu "
                 "trách nhiệm hình sự"),
            _doc("Văn bản, giấy tờ chứng minh là nhà quản lý, giám đốc điều hành, chuyên gia hoặc lao động "
                 "kỹ thuật", 0, 1),
            _doc("02 ảnh màu cỡ 4 x 6 cm, phông nền trắng, chụp không quá 06 tháng", 2, 0),
            _doc("Bản sao hộ chiếu còn giá trị sử dụng", 0, 1),
        ],
        units=("Phòng Lao động - Việc làm", "Lãnh đạo Sở Nội vụ", "Văn thư Sở Nội vụ"),
    ),
    dict(
        code="1.001978", name="Giải quyết hưởng trợ cấp thất nghiệp", field="VIECLAM", level="province",
        agencies=[HOME_AFFAIRS], competent="Giám đốc Sở Nội vụ (Trung tâm Dịch vụ việc làm tỉnh thẩm định)",
        time=20, fee=0, fee_description="Không thu phí, lệ phí.",
        result="Quyết định về việc hưởng trợ cấp thất nghiệp", result_code="TCTN",
        legal="Luật Việc làm số 38/2013/QH13 ngày 16/11/2013; Nghị định số 28/2015/NĐ-CP ngày 12/3/2015 của "
              "Chính phủ quy định chi tiết thi hành Luật Việc làm về bảo hiểm thất nghiệp; Nghị định số "
              "61/2020/NĐ-CP ngày 29/5/2020; Thông tư số 15/2023/TT-BLĐTBXH ngày 29/12/2023.",
        requirements="Chấm dứt hợp đồng lao động hoặc hợp đồng làm việc (trừ trường hợp đơn phương chấm dứt "
                     "trái pháp luật, hưởng lương hưu); đã đóng bảo hiểm thất nghiệp từ đủ 12 tháng trở lên "
                     "trong 24 tháng trước khi chấm dứt hợp đồng; nộp hồ sơ trong 03 tháng kể từ ngày chấm "
                     "dứt hợp đồng; chưa tìm được việc làm sau 15 ngày kể từ ngày nộp hồ sơ.",
        applicants="Người lao động", online=PART,
        docs=[
            _doc("Đề nghị hưởng trợ cấp thất nghiệp", form="Mẫu số 03 ban hành kèm theo Thông tư số "
                                                          "15/2023/TT-BLĐTBXH"),
            _doc("Giấy tờ xác nhận về việc chấm dứt hợp đồng lao động hoặc hợp đồng làm việc", 0, 1),
            _opt("Sổ bảo hiểm xã hội (trường hợp chưa có thông tin trên cơ sở dữ liệu về bảo hiểm)", 1, 0),
        ],
        units=("Trung tâm Dịch vụ việc làm tỉnh", "Lãnh đạo Sở Nội vụ", "Văn thư Sở Nội vụ"),
    ),
    # ---------------------------------------------------------------- province: Sở VHTTDL
    dict(
        code="1.001029", name="Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", field="VANHOA",
        level="province", agencies=[CULTURE], competent="Giám đốc Sở Văn hóa, Thể thao và Du lịch", time=5,
        fee=4000000,
        fee_description="Phí thẩm định tại các phường: từ 01 đến 03 phòng 4.000.000 đồng/giấy phép; từ 04 "
                        "đến 05 phòng 6.000.000 đồng/giấy phép; từ 06 phòng trở lên 12.000.000 đồng/giấy "
                        "phép. Tại các xã: bằng 50% mức thu tại các phường (Thông tư số 01/2021/TT-BTC).",
        result="Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", result_code="GPKR",
        legal="Nghị định số 54/2019/NĐ-CP ngày 19/6/2019 của Chính phủ quy định về kinh doanh dịch vụ "
              "karaoke, dịch vụ vũ trường; Thông tư số 01/2021/TT-BTC ngày 07/01/2021 quy định mức thu, chế "
              "độ thu, nộp, quản lý và sử dụng phí thẩm định cấp giấy phép kinh doanh karaoke, vũ trường.",
        requirements="Là doanh nghiệp hoặc hộ kinh doanh được thành lập theo quy định; bảo đảm điều kiện về "
                     "phòng cháy, chữa cháy và an ninh, trật tự; phòng hát có diện tích sử dụng từ 20 m² trở "
                     "lên, không kể công trình phụ; không đặt chốt cửa bên trong hoặc thiết bị báo động để "
                     "đối phó với hoạt động kiểm tra.",
        applicants="Doanh nghiệp, hộ kinh doanh", online=PART,
        docs=[
            _doc("Đơn đề nghị cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
                 form="Mẫu số 01 Phụ lục ban hành kèm theo Nghị định số 54/2019/NĐ-CP"),
            _doc("Giấy chứng nhận đủ điều kiện về an ninh, trật tự", 0, 1),
            _opt("Giấy chứng nhận đăng ký doanh nghiệp hoặc Giấy chứng nhận đăng ký hộ kinh doanh"),
        ],
        units=("Phòng Quản lý văn hóa và Gia đình", "Lãnh đạo Sở Văn hóa, Thể thao và Du lịch",
               "Văn thư Sở Văn hóa, Thể thao và Du lịch"),
        extra=[_step("Thẩm định thực tế điều kiện kinh doanh tại cơ sở", COMPETENT, Role.HANDLER, 1,
                     unit="Phòng Quản lý văn hóa và Gia đình")],
    ),
    # ---------------------------------------------------------------- province: Bảo hiểm xã hội tỉnh
    dict(
        code="1.011523", name="Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", field="BHYT", level="province",
        agencies=[SOCIAL_INSURANCE], competent="Bảo hiểm xã hội tỉnh Ninh Bình", time=3, fee=0,
        fee_description="Không thu phí; ngân sách nhà nước đóng bảo hiểm y tế cho trẻ em dưới 6 tuổi.",
        result="Thẻ bảo hiểm y tế (bản điện tử trên VssID, bản giấy khi có yêu cầu)", result_code="BHYT",
        legal="Luật Bảo hiểm y tế số 25/2008/QH12, được sửa đổi, bổ sung bởi Luật số 46/2014/QH13 và Luật số "
              "51/2024/QH15; Nghị định số 146/2018/NĐ-CP ngày 17/10/2018 của Chính phủ quy định chi tiết và "
              "hướng dẫn biện pháp thi hành một số điều của Luật Bảo hiểm y tế; " + LIEN_THONG_LAW +
              " Quyết định số 595/QĐ-BHXH ngày 14/4/2017 của Tổng Giám đốc Bảo hiểm xã hội Việt Nam.",
        requirements="Trẻ em dưới 6 tuổi đã được đăng ký khai sinh và cấp số định danh cá nhân. Thủ tục được "
                     "thực hiện liên thông cùng đăng ký khai sinh, đăng ký thường trú.",
        applicants="Cha, mẹ hoặc người giám hộ của trẻ em dưới 6 tuổi", online=FULL,
        docs=[
            _doc("Tờ khai tham gia, điều chỉnh thông tin bảo hiểm xã hội, bảo hiểm y tế",
                 form="Mẫu TK1-TS ban hành kèm theo Quyết định số 595/QĐ-BHXH"),
            _opt("Giấy khai sinh hoặc trích lục khai sinh của trẻ (khai thác từ Cơ sở dữ liệu hộ tịch điện "
                 "tử khi liên thông)"),
        ],
        units=("Phòng Quản lý thu - Sổ, thẻ", "Lãnh đạo Bảo hiểm xã hội tỉnh", "Văn thư Bảo hiểm xã hội "
                                                                               "tỉnh"),
    ),
    dict(
        code="1.011528",
        name="Giải quyết hưởng chế độ tử tuất (trợ cấp mai táng, trợ cấp tuất hằng tháng, trợ cấp tuất một "
             "lần)",
        field="BHXH", level="province", agencies=[SOCIAL_INSURANCE], competent="Bảo hiểm xã hội tỉnh Ninh "
                                                                               "Bình",
        time=8, fee=0, fee_description="Không thu phí, lệ phí.",
        result="Quyết định hưởng chế độ tử tuất", result_code="TUTUAT",
        legal="Luật Bảo hiểm xã hội số 41/2024/QH15 ngày 29/6/2024; Nghị định số 158/2025/NĐ-CP ngày "
              "25/6/2025 của Chính phủ quy định chi tiết một số điều của Luật Bảo hiểm xã hội về bảo hiểm xã "
              "hội bắt "
              "buộc; " + LIEN_THONG_LAW + " Quyết định số 166/QĐ-BHXH ngày 31/01/2019 của Tổng Giám đốc Bảo "
              "hiểm xã hội Việt Nam.",
        requirements="Người lao động đang đóng hoặc bảo lưu thời gian đóng bảo hiểm xã hội, người đang hưởng "
                     "lương hưu, trợ cấp bảo hiểm xã hội hằng tháng chết. Thân nhân nộp hồ sơ trong 90 ngày "
                     "kể từ ngày người đó chết; hồ sơ có thể nộp liên thông cùng thủ tục đăng ký khai tử.",
        applicants="Thân nhân của người lao động, người hưởng lương hưu, trợ cấp bảo hiểm xã "
                   "hội", online=FULL,
        docs=[
            _doc("Tờ khai của thân nhân", form="Mẫu số 09-HSB ban hành kèm theo Quyết định số 166/QĐ-BHXH"),
            _opt("Giấy chứng tử hoặc trích lục khai tử (khai thác từ Cơ sở dữ liệu hộ tịch điện tử khi liên "
                 "thông)"),
            _opt("Biên bản họp của các thân nhân (trường hợp có nhiều thân nhân hưởng trợ cấp tuất một lần)",
                 1, 0),
            _opt("Biên bản giám định mức suy giảm khả năng lao động của thân nhân (nếu có)"),
        ],
        units=("Phòng Chế độ bảo hiểm xã hội", "Lãnh đạo Bảo hiểm xã hội tỉnh", "Văn thư Bảo hiểm xã hội "
                                                                                "tỉnh"),
    ),
]

# Version 1 of 2.000720 (household business registration), in force from 2021 until the
# two-tier reorganisation moved it from the district Finance-Planning office to the commune.
AMENDED_V1 = {
    "2.000720": dict(
        version=1, status=Status.SUPERSEDED, change=Change.NEW, decision="2021", level="district",
        agencies=[],
        competent="Phòng Tài chính - Kế hoạch thuộc Ủy ban nhân dân cấp huyện", online=LEVEL3,
        fee_description="Lệ phí đăng ký hộ kinh doanh: 100.000 đồng/lần (Nghị quyết của HĐND tỉnh Ninh "
                        "Bình).",
        legal="Luật Doanh nghiệp số 59/2020/QH14 ngày 17/6/2020; Nghị định số 01/2021/NĐ-CP ngày 04/01/2021 "
              "của Chính phủ về đăng ký doanh nghiệp; Thông tư số 01/2021/TT-BKHĐT ngày 16/3/2021 của Bộ "
              "trưởng Bộ Kế hoạch và Đầu tư; Nghị quyết của HĐND tỉnh Ninh Bình quy định mức thu lệ phí đăng "
              "ký hộ kinh doanh.",
        docs=[
            _doc("Giấy đề nghị đăng ký hộ kinh doanh",
                 form="Giấy đề nghị đăng ký hộ kinh doanh (Phụ lục III-1 Thông tư số 01/2021/TT-BKHĐT)"),
            _doc("Bản sao giấy tờ pháp lý của cá nhân đối với các thành viên hộ gia đình đăng ký hộ kinh "
                 "doanh",
                 0, 1),
            _opt("Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (trường hợp các thành "
                 "viên hộ gia đình đăng ký hộ kinh doanh)"),
        ],
        units=("Phòng Tài chính - Kế hoạch cấp huyện", "Lãnh đạo Phòng Tài chính - Kế hoạch",
               "Văn thư UBND cấp huyện"),
    ),
}

BUNDLES = [
    ("LT-KS-TT-BHYT",
     "Liên thông các thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho "
     "trẻ em dưới 6 tuổi",
     ["1.001193", "1.004194", "1.011523"]),
    ("LT-KT-XTT-TT",
     "Liên thông các thủ tục hành chính: đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất/trợ "
     "cấp mai táng",
     ["1.000656", "1.004206", "1.011528", "1.001758", "1.010821"]),
]


# --- building processes ---------------------------------------------------------------------------

def _standard_split(total: Decimal, unit: str):
    """Budgets (reception, approval, issue, return) around the appraisal step, in the version's unit."""
    if unit == CD and total >= 10:
        return [Decimal(1), Decimal(2), Decimal(1), Decimal(1)]
    if total >= 4 and unit == WH or total >= 5:
        return [Decimal("0.5"), Decimal(1), Decimal("0.5"), Decimal("0.5")]
    if total >= 2:
        return [Decimal("0.25"), Decimal("0.5"), Decimal("0.25"), Decimal("0.25")]
    return [total / 5] * 4          # 1 day → 0.2 each, half a day → 0.1 each


def _process(spec: dict) -> list[tuple]:
    """The version's steps with every budget filled in; they add up exactly to the statutory time."""
    total = Decimal(str(spec["time"]))
    unit = spec.get("unit", WD)
    if spec.get("steps"):
        steps = list(spec["steps"])
    else:
        level = spec["level"]
        handler_unit, approver_unit, clerk_unit = spec.get("units") or DEFAULT_UNITS.get(
            level, DEFAULT_UNITS["province"])
        reception, approval, issue, giving_back = _standard_split(total, unit)
        steps = [
            _step("Tiếp nhận, kiểm tra hồ sơ; chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết", RECEIVING,
                  Role.RECEIVER, reception),
            _step(spec.get("appraise", "Thẩm định hồ sơ, đề xuất kết quả giải "
                                       "quyết"), COMPETENT, Role.HANDLER,
                  None, unit=handler_unit),
            *spec.get("extra", []),
            _step(spec.get("approve", "Xem xét, phê duyệt, ký kết quả giải quyết"), COMPETENT, Role.APPROVER,
                  approval, unit=approver_unit),
            _step(spec.get("issue", "Vào sổ, đóng dấu, phát hành kết quả; chuyển Bộ phận một cửa"), COMPETENT,
                  Role.CLERK, issue, unit=clerk_unit),
            _step("Trả kết quả cho tổ chức, cá nhân", RECEIVING, Role.RECEIVER, giving_back),
        ]
    fixed = sum((s[3] for s in steps if s[3] is not None), Decimal(0))
    open_steps = [i for i, s in enumerate(steps) if s[3] is None]
    assert len(open_steps) == 1, f"{spec['code']}: exactly one step must take the remaining time"
    rest = total - fixed
    assert rest > 0, f"{spec['code']}: the fixed budgets exceed the statutory time"
    i = open_steps[0]
    steps[i] = steps[i][:3] + (rest,) + steps[i][4:]
    reception_unit = RECEPTION_UNIT.get(spec["level"], RECEPTION_UNIT["province"])
    return [s if s[1] != RECEIVING or s[5] else s[:5] + (reception_unit,) + s[6:] for s in steps]


def _number(value: Decimal) -> str:
    value = Decimal(value).normalize()
    return format(value, "f").replace(".", ",")


def _steps_description(steps, unit) -> str:
    label = str(TimeUnit(unit).label)
    return "\n".join(f"Bước {order}. {name} ({place}): {_number(budget)} {label}."
                     for order, (name, _p, _r, budget, _a, place, _i) in enumerate(steps, start=1))


# --- idempotent writes ----------------------------------------------------------------------------

def _differs(obj, name, value) -> bool:
    """Compare one attribute without loading related objects (foreign keys compare by id)."""
    if isinstance(value, models.Model) or value is None and obj._meta.get_field(name).is_relation:
        return getattr(obj, obj._meta.get_field(name).attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _apply(obj, values: dict) -> bool:
    """Set ``values`` on ``obj``; save (a full save, so derived fields follow) only if one differed."""
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return bool(changed)


def _upsert(model, lookup: dict, values: dict):
    """get-or-create by ``lookup``; save only when a value differs (so a second run writes nothing)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, True
    _apply(obj, values)
    return obj, False


def _sync_children(model, version, rows: list[dict]):
    """Make ``version``'s documents or steps equal to ``rows`` (numbered 1..n by ``order``).

    Existing rows are matched by their order and only saved when they differ; new ones are
    inserted in one query; surplus ones are deleted.
    """
    existing, surplus = {}, []
    for obj in model.objects.filter(version=version).order_by("order", "id"):
        if obj.order in existing:
            surplus.append(obj.pk)
        else:
            existing[obj.order] = obj
    new = []
    for order, values in enumerate(rows, start=1):
        obj = existing.pop(order, None)
        if obj is None:
            new.append(model(version=version, order=order, **values))
        else:
            _apply(obj, values)
    surplus += [obj.pk for obj in existing.values()]
    if surplus:
        model.objects.filter(pk__in=surplus).delete()
    if new:
        model.objects.bulk_create(new)


class _Agencies:
    """Looks agencies up by code once and remembers which ones are missing."""

    def __init__(self):
        self.by_code = {a.code: a for a in Agency.objects.all()}
        self.missing = set()

    def get(self, code):
        agency = self.by_code.get(code)
        if agency is None and code:
            self.missing.add(code)
        return agency

    def many(self, codes):
        return [a for a in (self.get(code) for code in codes) if a is not None]


def ensure_online_levels() -> dict[tuple[str, str], OnlineLevel]:
    """Create (or bring up to date) both schemes of online service levels; returns them by (scheme, code)."""
    levels = {}
    for scheme, code, name, submit, pay, result, full, order in ONLINE_LEVELS:
        levels[(scheme, code)], _created = _upsert(OnlineLevel, {"scheme": scheme, "code": code}, {
            "name": name, "submit_online": submit, "pay_online": pay, "result_online": result,
            "is_full_online": full, "order": order})
    return levels


def _write_version(procedure, spec, fields, levels, decisions, agencies):
    steps = _process(spec)
    unit = spec.get("unit", WD)
    request_limit, wait_days = spec.get("supplement", (3, 15))
    postal_reception, postal_return = spec.get("postal", (True, True))
    level = spec["level"]
    agency_codes = spec.get("agencies", COMMUNE_COMMITTEES if level == "commune" else [])
    lookup = {"procedure": procedure, "number": spec.get("version", 1)}
    version, _created = _upsert(ProcedureVersion, lookup, {
        "decision": decisions[spec.get("decision", "main")],
        "change": spec.get("change", Change.NEW),
        "status": spec.get("status", Status.PUBLISHED),
        "name": spec["name"],
        "field": fields[spec["field"]],
        "levels": [level],
        "competent_authority": spec.get("competent", ""),
        "time_value": Decimal(str(spec["time"])),
        "time_unit": unit,
        "on_the_spot": spec.get("on_the_spot", False),
        "fee_amount": spec.get("fee", 0),
        "fee_description": spec.get("fee_description", ""),
        "result_name": spec["result"],
        "result_type_code": spec.get("result_code", ""),
        "legal_basis": spec.get("legal", ""),
        "requirements": spec.get("requirements", ""),
        "steps_description": _steps_description(steps, unit),
        "applicant_types": spec.get("applicants", "Công dân Việt Nam"),
        "online_level": levels[spec["online"]],
        "postal_reception": postal_reception,
        "postal_return": postal_return,
        "inter_agency": spec.get("inter", False),
        "supplement_request_limit_days": request_limit,
        "supplement_wait_days": wait_days,
    })
    wanted = {a.pk for a in agencies.many(agency_codes)}
    if set(version.agencies.values_list("pk", flat=True)) != wanted:
        version.agencies.set(wanted)

    _sync_children(RequiredDocument, version, [
        {"name": name, "originals": originals, "copies": copies, "form_name": form, "mandatory": mandatory}
        for name, originals, copies, form, mandatory in spec["docs"]])
    _sync_children(ProcessStep, version, [
        {"name": name, "performer": performer, "role": role, "budget": budget,
         "agency": agencies.get(agency_code) if agency_code else None, "unit_name": place,
         "is_inter_agency": inter}
        for name, performer, role, budget, agency_code, place, inter in steps])
    return version


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


@transaction.atomic
def load(stdout=None) -> dict:
    """Create or refresh the demo catalogue; safe to run any number of times.

    Returns a summary: ``{"procedures": n, "missing_agencies": [codes…]}``. Agencies that do not
    exist yet are left out of the versions (and of fixed process steps) and listed in the summary;
    run ``motcua.orgs.demo.load()`` first and load again to attach them.
    """
    fields = {}
    for code, name, land in FIELDS:
        fields[code], _created = _upsert(Field, {"code": code}, {"name": name, "is_land_or_housing": land})
    levels = ensure_online_levels()
    decisions = {}
    for key, values in DECISIONS.items():
        values = dict(values)
        decisions[key], _created = _upsert(
            PublicationDecision, {"number": values.pop("number"), "issuing_body": ISSUER}, values)
    agencies = _Agencies()

    procedures = {}
    for spec in PROCEDURES:
        procedure, _created = Procedure.objects.get_or_create(code=spec["code"])
        if spec["code"] in AMENDED_V1:
            # The superseded version is written first so at most one version is ever in force.
            first = {**spec, **AMENDED_V1[spec["code"]]}
            _write_version(procedure, first, fields, levels, decisions, agencies)
        version = _write_version(procedure, spec, fields, levels, decisions, agencies)
        if procedure.current_version_id != version.pk:
            procedure.current_version = version
            procedure.save(update_fields=["current_version"])
        procedures[spec["code"]] = procedure

    for code, name, members in BUNDLES:
        bundle, _created = _upsert(ProcedureBundle, {"code": code}, {"name": name, "is_active": True})
        wanted = [procedures[m].pk for m in members]
        if set(bundle.procedures.values_list("pk", flat=True)) != set(wanted):
            # One at a time: the order procedures join a bundle is the order its paper travels.
            bundle.procedures.clear()
            for pk in wanted:
                bundle.procedures.add(pk)

    by_level = {}
    for spec in PROCEDURES:
        by_level[spec["level"]] = by_level.get(spec["level"], 0) + 1
    _say(stdout, _("Thủ tục hành chính: %(n)d thủ tục (%(province)d cấp tỉnh, %(commune)d cấp xã), "
                   "%(fields)d lĩnh vực, %(bundles)d nhóm thủ tục liên thông.") % {
        "n": len(PROCEDURES), "province": by_level.get("province", 0), "commune": by_level.get("commune", 0),
        "fields": len(FIELDS), "bundles": len(BUNDLES)})
    if agencies.missing:
        _say(stdout, _("Chưa có các cơ quan sau nên chưa gắn vào thủ tục (hãy nạp dữ liệu tổ chức trước): "
                       "%(codes)s.") % {"codes": ", ".join(sorted(agencies.missing))})
    return {"procedures": len(PROCEDURES), "missing_agencies": sorted(agencies.missing)}
