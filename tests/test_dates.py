"""Dutch date parsing: exact dates with their spans (reused for legal deadline checks)."""

from __future__ import annotations

import datetime

import pytest

from raadsinzicht.dates import dutch_date, find_dates, find_day_months, parse_date

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13 maart 2025", D(2025, 3, 13)),
        ("13 Maart 2025", D(2025, 3, 13)),
        ("13 mrt. 2025", D(2025, 3, 13)),
        ("13 mrt 2025", D(2025, 3, 13)),
        ("1e april 2024", D(2024, 4, 1)),
        ("1ste april 2024", D(2024, 4, 1)),
        ("2de mei 2024", D(2024, 5, 2)),
        ("13-03-2025", D(2025, 3, 13)),
        ("13/3/2025", D(2025, 3, 13)),
        ("16.07.2024", D(2024, 7, 16)),
        ("2025-03-13", D(2025, 3, 13)),
        ("dinsdag 4 februari 2025", D(2025, 2, 4)),
        ("5 sept. 2023", D(2023, 9, 5)),
        ("5-okt-11", D(2011, 10, 5)),
        ("24 juni 2o25", D(2025, 6, 24)),  # OCR letter o for zero, only inside the year
        ("26 \noktober 2016", D(2016, 10, 26)),  # wrapped over two lines
        # A date stamp as OCR reads it: the day's digits apart, the month in capitals.
        ("1 2 SEP 2021", D(2021, 9, 12)),
        ("3 1 MEI 2021", D(2021, 5, 31)),
        ("0 9 AUG. 2022", D(2022, 8, 9)),
    ],
)
def test_find_dates_forms(text: str, expected: datetime.date) -> None:
    found = find_dates(f"Zie {text} hierboven.")
    assert [m.date for m in found] == [expected]


def test_spans_point_into_the_text() -> None:
    text = "Op dinsdag 4 februari 2025 besloot de raad; bezwaar kan tot 18-03-2025."
    found = find_dates(text)
    assert [m.date for m in found] == [D(2025, 2, 4), D(2025, 3, 18)]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert found[0].text == "dinsdag 4 februari 2025"  # the weekday belongs to the mention


def test_invalid_dates_are_skipped() -> None:
    assert find_dates("31 februari 2025, 30-02-2024 en 2025-13-01") == []
    assert [m.date for m in find_dates("29 februari 2024 wel, 29 februari 2023 niet")] == [
        D(2024, 2, 29)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Postbus 12600, 2500 DJ Den Haag",
        "T 070 340 79 11",
        "kenmerk 2020-0000164964",
        "RIS321030",
        "13 maart",  # no year: not exact enough for a deadline
        "maart 2025",  # no day
        "9/10/2020x",
        "12-13-2024",  # month 13 (and no US order)
        "4 1 AAN 2021",  # capitals, but no month
    ],
)
def test_no_false_dates(text: str) -> None:
    assert find_dates(text) == []


def test_a_split_day_in_prose_is_not_a_stamp() -> None:
    # Lower case: the "3" is a number of its own, the date is 1 mei 2021.
    assert [m.date for m in find_dates("punt 3 1 mei 2021")] == [D(2021, 5, 1)]


def test_no_overlapping_mentions() -> None:
    found = find_dates("datum 2025-03-13 en 13-03-2025")
    assert [(m.text, m.date) for m in found] == [
        ("2025-03-13", D(2025, 3, 13)),
        ("13-03-2025", D(2025, 3, 13)),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-13", D(2025, 3, 13)),
        ("20250313", D(2025, 3, 13)),
        ("13 maart 2025", D(2025, 3, 13)),
        (" 13-3-2025 ", D(2025, 3, 13)),
        ("13 mrt. 2025.", D(2025, 3, 13)),
        ("dinsdag 4 februari 2025", D(2025, 2, 4)),
        ("31-02-2025", None),
        ("13 maart", None),
        ("", None),
        ("gisteren", None),
        ("tussen 1 en 13 maart 2025", None),  # not a single date
    ],
)
def test_parse_date(value: str, expected: datetime.date | None) -> None:
    assert parse_date(value) == expected


def test_find_day_months_reports_weekday() -> None:
    (day, month, start, end, weekday), *_ = find_day_months("Donderdag 8 februari 08.30 uur")
    assert (day, month, weekday) == (8, 2, 3)
    assert (start, end) == (0, len("Donderdag 8 februari"))


def test_dutch_date_is_written_as_in_prose() -> None:
    assert dutch_date(D(2025, 1, 23)) == "23 januari 2025"
    assert dutch_date(D(2024, 12, 1)) == "1 december 2024"
    # What it writes, the parser reads back, every month.
    days = [D(2025, month, 28) for month in range(1, 13)]
    assert [parse_date(dutch_date(day)) for day in days] == days


def test_find_periods_are_days_and_months_not_years() -> None:
    from raadsinzicht.dates import find_periods

    assert find_periods("Hoe liep in december 2024 de stemming af, en op 13 mrt. 2025?") == [
        (datetime.date(2024, 12, 1), datetime.date(2024, 12, 31)),
        (datetime.date(2025, 3, 13), datetime.date(2025, 3, 13)),
    ]
    assert find_periods("in februari 2024") == [
        (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    ]
    # A year alone is no period: the motion "uit 2024" may have been voted on in 2025.
    assert find_periods("Wat gebeurde er met de motie uit 2024?") == []
