"""Checks on scanned documents: the content decides the type, not the file name."""
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Magic numbers of the accepted formats.
SIGNATURES = {
    "application/pdf": [b"%PDF-"],
    "image/jpeg": [b"\xff\xd8\xff"],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
}


def sniff(head: bytes) -> str | None:
    for content_type, magics in SIGNATURES.items():
        if any(head.startswith(magic) for magic in magics):
            return content_type
    return None


def validate_upload(upload) -> str | None:
    """A Vietnamese message saying what is wrong with ``upload``, or None when it is acceptable."""
    if upload.size == 0:
        return _("Tệp rỗng.")
    if upload.size > MAX_UPLOAD_BYTES:
        return _("Tệp quá lớn (%(size)s MB); tối đa 10 MB.") % {"size": round(upload.size / 1048576, 1)}
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    detected = sniff(head)
    if detected is None:
        return _("Chỉ chấp nhận tệp PDF, JPEG hoặc PNG; nội dung tệp này không phải các định dạng đó.")
    upload.content_type = detected
    return None
