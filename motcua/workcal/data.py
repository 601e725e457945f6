"""Vietnam's public holidays and the government's day swaps, as plain data (no Django).

Public holidays come from the maintained ``holidays`` package (Vietnam: lunar Tết, Giỗ Tổ
Hùng Vương 10/3 âm lịch, 30/4, 1/5, Quốc khánh 2/9 + adjacent day, Ngày Văn hóa Việt Nam
24/11 from 2026, and the *nghỉ bù* days that compensate a holiday falling on a weekend).

The swaps (*hoán đổi ngày làm việc*: a weekday off, *nghỉ bù*, paid back by working a
Saturday, *làm bù*) are announced each year for officials and public employees. ``SWAPS``
lists those announced for 2020–2026. For 2020–2023 no swap was announced: every holiday
that fell on a weekend was compensated by a following weekday, which ``holidays``
generates itself. The package also records the weekday off of each swap ("Ngày nghỉ (thay
cho ngày dd/mm/yyyy)"); ``vietnam_calendar_days`` reads the worked Saturday from that label
too, so a swap added by a newer ``holidays`` release is picked up without editing this file.
"""
from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

import holidays

HOLIDAY = "holiday"
SWAP_OFF = "swap_off"
SWAP_WORK = "swap_work"


class Swap(NamedTuple):
    off: date          # weekday not worked (nghỉ bù)
    work: date         # weekend day worked instead (làm bù)
    occasion: str
    reference: str = ""


SWAPS: tuple[Swap, ...] = (
    Swap(date(2024, 4, 29), date(2024, 5, 4), "dịp Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5 năm 2024",
         "Công văn 2450/VPCP-KGVX"),
    Swap(date(2025, 5, 2), date(2025, 4, 26), "dịp Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5 năm 2025",
         "Thông báo 6150/TB-BLĐTBXH"),
    Swap(date(2026, 8, 31), date(2026, 8, 22), "dịp Quốc khánh 2/9 năm 2026"),
)


class DaySpec(NamedTuple):
    date: date
    kind: str   # HOLIDAY, SWAP_OFF or SWAP_WORK
    name: str


_SUBSTITUTED = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def vietnam_calendar_days(first_year: int, last_year: int) -> list[DaySpec]:
    """Every holiday, nghỉ bù and làm bù day of Vietnam from ``first_year`` to ``last_year``, sorted."""
    years = range(first_year, last_year + 1)
    days: dict[date, DaySpec] = {}
    swaps = {s.off: s for s in SWAPS if s.off.year in years or s.work.year in years}
    for day, name in holidays.Vietnam(years=years, language="vi").items():
        name = name.split("; ")[0]  # two holidays on one date would be joined by "; "
        match = _SUBSTITUTED.search(name)
        if day in swaps:
            swap = swaps[day]
            days[day] = DaySpec(day, SWAP_OFF, f"Nghỉ hoán đổi {swap.occasion} (làm bù thứ Bảy "
                                                f"{swap.work:%d/%m/%Y})")
        elif match and "thay cho" in name:
            work = date(int(match[3]), int(match[2]), int(match[1]))
            swaps[day] = Swap(day, work, "")
            days[day] = DaySpec(day, SWAP_OFF, f"Nghỉ hoán đổi (làm bù ngày {work:%d/%m/%Y})")
        elif "nghỉ bù" in name:
            days[day] = DaySpec(day, SWAP_OFF, name)
        else:
            days[day] = DaySpec(day, HOLIDAY, name)
    for swap in swaps.values():
        if swap.work.year in years:
            name = f"Làm bù cho ngày nghỉ {swap.off:%d/%m/%Y}"
            if swap.reference:
                name += f" ({swap.reference})"
            days[swap.work] = DaySpec(swap.work, SWAP_WORK, name)
        if swap.off.year in years and swap.off not in days:
            days[swap.off] = DaySpec(swap.off, SWAP_OFF, f"Nghỉ hoán đổi {swap.occasion} (làm bù "
                                                         f"{swap.work:%d/%m/%Y})")
    return sorted(days.values())


def vietnam_calendar_kwargs(first_year: int, last_year: int) -> dict:
    """Keyword arguments for ``WorkCalendar`` built from ``vietnam_calendar_days`` (tests, benchmarks)."""
    specs = vietnam_calendar_days(first_year, last_year)
    return {
        "non_working": {s.date: s.name for s in specs if s.kind != SWAP_WORK},
        "extra_working": {s.date: s.name for s in specs if s.kind == SWAP_WORK},
        "first_year": first_year,
        "last_year": last_year,
    }
