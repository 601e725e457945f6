"""The feedback categories every installation starts with (editable in the admin afterwards).

Decree 20/2008/NĐ-CP (amended by Decree 92/2017/NĐ-CP) governs feedback on administrative
regulations; the response times here are the province's service standard, not the law's
maximum, and an administrator changes them per category.
"""
from decimal import Decimal

# (code = Open311 service_code, name, subject, response time in working days, description, keywords)
CATEGORIES = [
    ("QDHC", "Quy định, thủ tục hành chính không phù hợp", "regulation", 10,
     "Quy định, thủ tục hành chính không phù hợp, không khả thi, trái pháp luật hoặc gây tốn kém; kiến nghị "
     "sửa đổi, bổ sung, đơn giản hóa.",
     "quy định, thủ tục, giấy tờ, mẫu đơn, tờ khai, lệ phí, điều kiện"),
    ("CKTT", "Công khai, hướng dẫn thủ tục hành chính", "regulation", 7,
     "Thông tin thủ tục hành chính niêm yết, đăng tải không đầy đủ, không chính xác; hướng dẫn không rõ ràng, "
     "không thống nhất.",
     "niêm yết, công khai, hướng dẫn, thông tin"),
    ("HSTH", "Giải quyết hồ sơ chậm, trễ hẹn", "dossier", 5,
     "Hồ sơ giải quyết quá thời hạn đã hẹn, không được thông báo, xin lỗi và hẹn lại.",
     "trễ hẹn, chậm, quá hạn, hồ sơ"),
    ("HSYC", "Yêu cầu giấy tờ, chi phí ngoài quy định", "dossier", 5,
     "Bị yêu cầu nộp thêm giấy tờ, bổ sung nhiều lần hoặc nộp chi phí không có trong quy định.",
     "bổ sung, giấy tờ, chi phí, phí"),
    ("CBCC", "Thái độ, tác phong của cán bộ, công chức", "conduct", 10,
     "Cán bộ, công chức thiếu trách nhiệm, không đúng mực khi hướng dẫn, tiếp nhận, giải quyết hồ sơ.",
     "cán bộ, công chức, thái độ, tác phong"),
    ("NNPH", "Nhũng nhiễu, gây phiền hà, tiêu cực", "conduct", 10,
     "Hành vi nhũng nhiễu, gây phiền hà, đòi hỏi lợi ích, tiêu cực của cán bộ, công chức.",
     "nhũng nhiễu, phiền hà, tiêu cực"),
    ("DVCT", "Dịch vụ công trực tuyến", "other", 5,
     "Lỗi, khó khăn khi nộp hồ sơ, thanh toán, nhận kết quả trực tuyến trên Cổng dịch vụ công.",
     "trực tuyến, cổng dịch vụ công, thanh toán, tài khoản"),
    ("KHAC", "Phản ánh, kiến nghị khác", "other", 10,
     "Phản ánh, kiến nghị khác về hoạt động của cơ quan hành chính nhà nước.", "khác"),
]



def ensure_categories(Category) -> int:
    """Create the default categories that do not exist yet (never touches edited ones); returns how many."""
    created = 0
    for order, (code, name, subject, days, description, keywords) in enumerate(CATEGORIES, start=1):
        _obj, new = Category.objects.get_or_create(code=code, defaults={
            "name": name, "subject": subject, "response_days": Decimal(days), "reminder_days": Decimal(2),
            "description": description, "keywords": keywords, "order": order,
            "service_notice": f"Phản ánh, kiến nghị được chuyển đến cơ quan có thẩm quyền và được trả lời trong "
                              f"{days} ngày làm việc.",
        })
        created += new
    return created
