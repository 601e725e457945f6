"""Vietnamese text folding for diacritic-insensitive search.

"Đăng ký khai sinh" and "dang ky khai sinh" fold to the same key. We NFC-normalise,
decompose, drop combining marks, and map đ/Đ explicitly because "đ" is a letter of
its own in Unicode, not "d" plus a mark. (Unidecode would do this too but is GPL.)
"""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced form of ``text`` used as a search key."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()
