"""Rule-based Dutch date parsing.

Exact by design: this module is reused for legal deadline checks, so it only
returns dates it can read unambiguously (day, month and year all present and
valid) and reports the character span it read them from.

Supported forms::

    13 maart 2025          13 mrt. 2025        1e april 2024      dinsdag 4 februari 2025
    13-03-2025             13/3/2025           13.03.2025         2025-03-13
    5-okt-11               (day-abbreviated month-two digit year, as in inventory lists)
    19oktober2020          (spaces lost by the PDF text layer)

Not supported on purpose: month/day/year (US) order and two-digit years in
purely numeric dates (``13-03-25``) — both are ambiguous in Dutch documents.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = [
    "MONTHS",
    "MONTH_NAMES",
    "WEEKDAYS",
    "DateMention",
    "dutch_date",
    "find_dates",
    "find_day_months",
    "find_periods",
    "parse_date",
]

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "febr": 2, "feb": 2,
    "maart": 3, "mrt": 3, "maa": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")  # fmt: skip


def dutch_date(day: datetime.date) -> str:
    """``day`` as written in Dutch prose: "23 januari 2025"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


WEEKDAYS: dict[str, int] = {
    "maandag": 0, "ma": 0,
    "dinsdag": 1, "di": 1,
    "woensdag": 2, "wo": 2,
    "donderdag": 3, "do": 3,
    "vrijdag": 4, "vr": 4,
    "zaterdag": 5, "za": 5,
    "zondag": 6, "zo": 6,
}  # fmt: skip


@dataclass(frozen=True)
class DateMention:
    """A date found in a text; ``text == source[start:end]``."""

    date: datetime.date
    start: int
    end: int
    text: str


# Longest alternatives first so "februari" is not read as "feb" + "ruari".
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# Only full weekday names (and common 2-letter abbreviations followed by a dot)
# may prefix a date; bare "do"/"za" would otherwise match ordinary words.
_WEEKDAY_ALT = (
    "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|(?:ma|di|wo|do|vr|za|zo)\\."
)
_WEEKDAY = rf"(?:(?P<wd>{_WEEKDAY_ALT})\s*,?\s+)?"
# Ordinal suffixes: 1e, 1ste, 2de, 3e; "1st" for English-ish OCR.
_DAY = r"(?P<d>[0-3]?\d)(?:e|ste|de|st)?"
# A year may carry OCR letter-o for zero ("2o25"); only inside the year field.
_YEAR4 = r"(?P<y>(?:1[89]|2[0oO])[0-9oO]{2})"

# Whitespace between day, month name and year may be missing: some PDF text layers drop
# the spaces ("19oktober2020"); the month name still makes the reading unambiguous.
_TEXTUAL = re.compile(
    rf"(?<![\w-]){_WEEKDAY}{_DAY}\s*(?P<m>{_MONTH_ALT})\.?,?\s*{_YEAR4}(?![\w])",
    re.IGNORECASE,
)
# A stamped date as OCR reads it: the day's two digits apart ("1 2 SEP 2021", "3 1 MEI
# 2021"), the month in capitals. Read as "2 SEP 2021" it would move an Awb deadline. Only
# with a capitalised month: in prose "3 1 mei 2021" is more likely a number and a date.
_STAMP = re.compile(rf"(?<![\w-])(?P<d>[0-3] \d) (?P<m>[A-Z]{{3,}})\.?,?\s*{_YEAR4}(?![\w])")
# d-m-yyyy, d/m/yyyy, d.m.yyyy — same separator twice; not part of a longer number.
_NUMERIC_DMY = re.compile(
    rf"(?<![\w.,/-]){_WEEKDAY}(?P<d>[0-3]?\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<y>(?:1[89]|2\d)\d\d)(?![\w]|[-/.]\d)",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"(?<![\w.,/-])(?P<y>(?:1[89]|2\d)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\w]|[-/.]\d)"
)
# "5-okt-11": day, abbreviated month, two-digit year (Excel-style inventory lists).
_DMONY = re.compile(
    rf"(?<![\w-])(?P<d>[0-3]?\d)-(?P<m>{_MONTH_ALT})-(?P<y>\d\d)(?![\w-])",
    re.IGNORECASE,
)
# Day + month without year, e.g. "Donderdag 8 februari" in meeting minutes.
_DAY_MONTH = re.compile(
    rf"(?<![\w-]){_WEEKDAY}{_DAY}\s+(?P<m>{_MONTH_ALT})\b\.?",
    re.IGNORECASE,
)


def _year(raw: str) -> int:
    return int(raw.replace("o", "0").replace("O", "0"))


def _make(y: int, m: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, m, d)
    except ValueError:  # 31 februari, month 13, ...
        return None


def find_dates(text: str) -> list[DateMention]:
    """All valid full dates in ``text``, in order of appearance, without overlaps."""
    found: list[DateMention] = []
    for rx in (_STAMP, _TEXTUAL, _NUMERIC_DMY, _ISO, _DMONY):
        for m in rx.finditer(text):
            if rx is _STAMP:
                month = MONTHS.get(m.group("m").lower(), 0)
            elif rx is _TEXTUAL or rx is _DMONY:
                month = MONTHS[m.group("m").lower()]
            else:
                month = int(m.group("m"))
            if rx is _DMONY:
                yy = int(m.group("y"))
                year = 2000 + yy if yy < 70 else 1900 + yy  # inventory lists span ~1970-2069
            else:
                year = _year(m.group("y"))
            value = _make(year, month, int(m.group("d").replace(" ", "")))
            if value is None:
                continue
            found.append(DateMention(value, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda dm: (dm.start, -dm.end))
    result: list[DateMention] = []
    for dm in found:  # earlier regexes win over overlapping later ones
        if result and dm.start < result[-1].end:
            continue
        result.append(dm)
    return result


def find_day_months(text: str) -> list[tuple[int, int, int, int, int | None]]:
    """Day+month mentions without a year: ``(day, month, start, end, weekday)``.

    ``weekday`` is 0=Monday..6=Sunday when the text names it, else None; callers
    can use it to pick the year (e.g. "Donderdag 8 februari" in a 2024 document).
    Mentions that are part of a full date are included too; filter with
    :func:`find_dates` spans if needed.
    """
    out: list[tuple[int, int, int, int, int | None]] = []
    for m in _DAY_MONTH.finditer(text):
        day = int(m.group("d"))
        if not 1 <= day <= 31:
            continue
        wd_raw = m.group("wd")
        weekday = WEEKDAYS.get(wd_raw.lower().rstrip(".")) if wd_raw else None
        out.append((day, MONTHS[m.group("m").lower()], m.start(), m.end(), weekday))
    return out


# "december 2024": a month of a year, without a day.
_MONTH_YEAR = re.compile(rf"(?<![\w-])(?P<m>{_MONTH_ALT})\.?\s+{_YEAR4}(?![\w])", re.IGNORECASE)


def find_periods(text: str) -> list[tuple[datetime.date, datetime.date]]:
    """The days and months a text names ("op 19 december 2024", "in maart 2025"), each as
    (first day, last day), in order of appearance. A year alone is no period here: "de
    motie uit 2024" may have been voted on in 2025."""
    days = find_dates(text)
    periods = [(dm.start, dm.date, dm.date) for dm in days]
    for m in _MONTH_YEAR.finditer(text):
        if any(dm.start <= m.start() < dm.end for dm in days):
            continue  # the month of a full date
        year, month = _year(m.group("y")), MONTHS[m.group("m").lower()]
        last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        periods.append((m.start(), datetime.date(year, month, 1), last))
    return [(first, last) for _, first, last in sorted(periods)]


def parse_date(value: str) -> datetime.date | None:
    """Parse one date given in any supported form (also plain ISO ``2025-03-13``).

    Returns None unless the whole string (ignoring surrounding whitespace and a
    trailing full stop or comma) is a single valid date.
    """
    s = value.strip().rstrip(".,").strip()
    if not s:
        return None
    try:
        return datetime.date.fromisoformat(s)  # also 20250313
    except ValueError:
        pass
    mentions = find_dates(s)
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(s):
        return mentions[0].date
    return None
