"""Awb periods, pure: six weeks from the day after a decision was sent or published (Awb
6:7 and 6:8, for bezwaar and for beroep alike), moved past weekends and public holidays by
the Algemene termijnenwet (art. 1 and 3). Used by the bezwaar intake and by answers to
"Wanneer eindigt de beroepstermijn …?"."""

from __future__ import annotations

from datetime import date, timedelta

from .dates import dutch_date

__all__ = ["BEZWAARTERMIJN", "atw_verlenging", "awb_termijn", "easter_sunday", "public_holidays"]

BEZWAARTERMIJN = timedelta(weeks=6)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_offset = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_offset) // 451
    month, day = divmod(h + weekday_offset - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _koningsdag(year: int) -> date:
    if year >= 2014:  # 27 April; on a Sunday the day before
        day = date(year, 4, 27)
        return day - timedelta(days=1) if day.weekday() == 6 else day
    day = date(year, 4, 30)  # Koninginnedag
    if day.weekday() == 6:
        return day - timedelta(days=1) if year >= 1980 else day + timedelta(days=1)
    return day


def public_holidays(year: int) -> dict[date, str]:
    """The "algemeen erkende feestdagen" of Algemene termijnenwet art. 3(1). (The first
    days of Easter and Pentecost are Sundays anyway; 5 May counts every year here, unlike
    in most holiday calendars; days the minister adds under art. 3(2) are not included.)"""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter + timedelta(days=1): "tweede Paasdag",
        easter + timedelta(days=39): "Hemelvaartsdag",
        easter + timedelta(days=50): "tweede Pinksterdag",
        _koningsdag(year): "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag (5 mei)",
        date(year, 12, 25): "eerste Kerstdag",
        date(year, 12, 26): "tweede Kerstdag",
    }


def _not_a_working_day(day: date) -> str | None:
    if day.weekday() == 5:
        return "zaterdag"
    if day.weekday() == 6:
        return "zondag"
    return public_holidays(day.year).get(day)


def atw_verlenging(last_day: date) -> tuple[date, list[str]]:
    """Algemene termijnenwet art. 1: the day a period really ends, and why it moved."""
    reasons: list[str] = []
    day = last_day
    while (why := _not_a_working_day(day)) is not None:
        reasons.append(f"{dutch_date(day)} is een {why}" if why in ("zaterdag", "zondag") else
                       f"{dutch_date(day)} is {why}")  # fmt: skip
        day += timedelta(days=1)
    return day, reasons


def awb_termijn(bekendgemaakt: date) -> tuple[date, date, date]:
    """(first day, statutory last day, last day after the Algemene termijnenwet) of the
    objection period for a decision sent or published on ``bekendgemaakt``."""
    start = bekendgemaakt + timedelta(days=1)
    last = start + BEZWAARTERMIJN - timedelta(days=1)
    return start, last, atw_verlenging(last)[0]
