"""Demo organisation: Tỉnh Ninh Bình after the 2025 reorganisation, with staff for every role.

Every demo login uses the password in ``DEMO_PASSWORD`` (listed in README.md).
"""
import datetime

from django.contrib.auth.hashers import make_password

from motcua.orgs.models import AdminUnit, Agency, Role, StaffRole, User

DEMO_PASSWORD = "MotCua@2025"
PROVINCE_CODE = "37"
PROVINCE_ADDRESS = "Đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình"

# (code, name, kind, parent code)
PROVINCIAL_AGENCIES = [
    ("000.00.00.H42", "Ủy ban nhân dân tỉnh Ninh Bình", Agency.Kind.PEOPLES_COMMITTEE, None),
    ("000.00.01.H42", "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình", Agency.Kind.SERVICE_CENTRE, None),
    ("000.00.14.H42", "Sở Tư pháp", Agency.Kind.DEPARTMENT, None),
    ("000.00.12.H42", "Sở Xây dựng", Agency.Kind.DEPARTMENT, None),
    ("000.00.10.H42", "Sở Nông nghiệp và Môi trường", Agency.Kind.DEPARTMENT, None),
    ("000.01.10.H42", "Văn phòng Đăng ký đất đai tỉnh", Agency.Kind.INTERNAL_UNIT, "000.00.10.H42"),
    ("000.00.15.H42", "Sở Y tế", Agency.Kind.DEPARTMENT, None),
    ("000.00.03.H42", "Sở Tài chính", Agency.Kind.DEPARTMENT, None),
    ("000.00.08.H42", "Sở Công Thương", Agency.Kind.DEPARTMENT, None),
    ("000.00.16.H42", "Sở Giáo dục và Đào tạo", Agency.Kind.DEPARTMENT, None),
    ("000.00.04.H42", "Sở Nội vụ", Agency.Kind.DEPARTMENT, None),
    ("000.00.17.H42", "Sở Văn hóa, Thể thao và Du lịch", Agency.Kind.DEPARTMENT, None),
    ("000.00.21.H42", "Công an tỉnh Ninh Bình", Agency.Kind.VERTICAL, None),
    ("000.00.22.H42", "Bảo hiểm xã hội tỉnh Ninh Bình", Agency.Kind.VERTICAL, None),
]

# (NN, unit code, name) — wards and communes of the two-tier province.
COMMUNES = [
    ("01", "14359", "Phường Hoa Lư"),
    ("02", "14362", "Phường Tây Hoa Lư"),
    ("03", "13669", "Phường Nam Định"),
    ("04", "13675", "Phường Thiên Trường"),
    ("05", "13321", "Phường Phủ Lý"),
    ("06", "14398", "Phường Tam Điệp"),
    ("07", "14425", "Xã Gia Viễn"),
    ("08", "14371", "Xã Nho Quan"),
    ("09", "14464", "Xã Kim Sơn"),
    ("10", "14500", "Xã Yên Mô"),
    ("11", "13870", "Xã Hải Hậu"),
    ("12", "13759", "Xã Ý Yên"),
]

# (username, full name, position, [(agency code, role)])
STAFF = [
    ("tiepnhan.tinh", "Nguyễn Thị Thu Hà", "Công chức Bộ phận một cửa",
     [("000.00.01.H42", Role.RECEIVER)]),
    ("tiepnhan.tinh2", "Phạm Văn Đức", "Công chức Bộ phận một cửa",
     [("000.00.01.H42", Role.RECEIVER)]),
    ("tiepnhan.hoalu", "Trần Minh Khoa", "Công chức Bộ phận một cửa phường Hoa Lư",
     [("000.01.31.H42", Role.RECEIVER)]),
    ("thuly.tuphap", "Lê Thị Hồng Nhung", "Chuyên viên Phòng Hành chính tư pháp",
     [("000.00.14.H42", Role.HANDLER)]),
    ("lanhdao.tuphap", "Đỗ Quang Vinh", "Phó Giám đốc Sở Tư pháp",
     [("000.00.14.H42", Role.APPROVER)]),
    ("vanthu.tuphap", "Hoàng Thị Lan", "Văn thư Sở Tư pháp",
     [("000.00.14.H42", Role.CLERK)]),
    ("quantri.tuphap", "Vũ Đình Nam", "Quản trị hệ thống Sở Tư pháp",
     [("000.00.14.H42", Role.AGENCY_ADMIN)]),
    ("thuly.xaydung", "Bùi Văn Thắng", "Chuyên viên Phòng Quản lý xây dựng",
     [("000.00.12.H42", Role.HANDLER)]),
    ("lanhdao.xaydung", "Ngô Thị Mai Anh", "Phó Giám đốc Sở Xây dựng",
     [("000.00.12.H42", Role.APPROVER), ("000.00.12.H42", Role.CLERK)]),
    ("thuly.dat", "Đinh Công Tuấn", "Chuyên viên Văn phòng Đăng ký đất đai",
     [("000.01.10.H42", Role.HANDLER)]),
    ("lanhdao.dat", "Phan Thị Ngọc Bích", "Giám đốc Văn phòng Đăng ký đất đai",
     [("000.01.10.H42", Role.APPROVER), ("000.01.10.H42", Role.CLERK)]),
    ("thuly.thue", "Lý Văn Hiếu", "Chuyên viên Sở Tài chính",
     [("000.00.03.H42", Role.HANDLER), ("000.00.03.H42", Role.APPROVER)]),
    ("thuly.hoalu", "Mai Thị Thanh Tâm", "Công chức Tư pháp - Hộ tịch phường Hoa Lư",
     [("000.01.30.H42", Role.HANDLER)]),
    ("lanhdao.hoalu", "Trịnh Xuân Trường", "Phó Chủ tịch UBND phường Hoa Lư",
     [("000.01.30.H42", Role.APPROVER), ("000.01.30.H42", Role.CLERK)]),
    ("thuly.congan", "Đặng Văn Hùng", "Cán bộ Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
     [("000.00.21.H42", Role.HANDLER), ("000.00.21.H42", Role.APPROVER), ("000.00.21.H42", Role.CLERK)]),
    ("thanhtra", "Tạ Thị Phương", "Thanh tra viên Sở Nội vụ",
     [("000.00.04.H42", Role.INSPECTOR)]),
]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def load(stdout=None):
    """Create the demo province, its agencies and staff; safe to run twice."""
    province, _ = AdminUnit.objects.update_or_create(
        code=PROVINCE_CODE, defaults={"name": "Tỉnh Ninh Bình", "level": AdminUnit.Level.PROVINCE})
    # A district abolished on 01/7/2025, kept only so history stays readable.
    old_district, _ = AdminUnit.objects.update_or_create(
        code="369", defaults={"name": "Thành phố Hoa Lư (cấp huyện, đã giải thể)", "parent": province,
                              "level": AdminUnit.Level.DISTRICT, "is_active": False,
                              "abolished_on": datetime.date(2025, 7, 1)})

    for code, name, kind, parent_code in PROVINCIAL_AGENCIES:
        Agency.objects.update_or_create(code=code, defaults={
            "name": name, "kind": kind, "unit": province,
            "parent": Agency.objects.get(code=parent_code) if parent_code else None,
            "address": PROVINCE_ADDRESS, "phone": "0229 3871 " + code[7:9] + "0",
            "email": f"{code.replace('.', '')}@ninhbinh.gov.vn".lower(),
        })

    for number, unit_code, name in COMMUNES:
        unit, _ = AdminUnit.objects.update_or_create(
            code=unit_code, defaults={"name": name, "level": AdminUnit.Level.COMMUNE, "parent": province})
        committee, _ = Agency.objects.update_or_create(code=f"000.{number}.30.H42", defaults={
            "name": f"Ủy ban nhân dân {name[0].lower()}{name[1:]}", "kind": Agency.Kind.PEOPLES_COMMITTEE,
            "unit": unit, "address": f"Trụ sở UBND {name[0].lower()}{name[1:]}, tỉnh Ninh Bình"})
        Agency.objects.update_or_create(code=f"000.{number}.31.H42", defaults={
            "name": f"Trung tâm phục vụ hành chính công {name[0].lower()}{name[1:]}",
            "kind": Agency.Kind.SERVICE_CENTRE, "unit": unit, "parent": committee,
            "address": committee.address})
    AdminUnit.objects.filter(code="14359").update(parent=province)
    del old_district

    # One hash for every demo account: hashing is deliberately slow, 17 times would take seconds.
    password = make_password(DEMO_PASSWORD)
    User.objects.get_or_create(username="admin", defaults={
        "full_name": "Quản trị hệ thống", "is_staff": True, "is_superuser": True, "password": password})

    for username, full_name, position, roles in STAFF:
        user, _ = User.objects.get_or_create(username=username, defaults={
            "full_name": full_name, "position": position, "email": f"{username}@ninhbinh.gov.vn",
            "password": password})
        for agency_code, role in roles:
            StaffRole.objects.get_or_create(user=user, agency=Agency.objects.get(code=agency_code), role=role)
    # Agency administrators may use the admin site for their agency's catalogue and calendar.
    User.objects.filter(staff_roles__role=Role.AGENCY_ADMIN).update(is_staff=True)
    _say(stdout, f"Tổ chức: {Agency.objects.count()} cơ quan, {User.objects.count()} tài khoản.")
