"""What raadsinzicht brings, in numbers, from the audit log ("meten is weten"): per week
and per month the questions, summaries, bezwaar intakes and redactions, active users,
refusal rate, share of answers with unsupported sentences, latency per action, feedback,
and an *estimate* of the time saved (minutes per action kind from settings, per team).

Weeks are ISO weeks (Monday to Sunday) and months calendar months, both in the
municipality's time zone (``impact.timezone``); the audit log stores UTC.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from babel.dates import format_date

from .audit import Activity, AuditLog, Feedback
from .errors import InputError
from .settings import ImpactSettings

__all__ = [
    "ACTION_LABELS",
    "ESTIMATE_NOTE",
    "FeedbackEntry",
    "ImpactReport",
    "Latency",
    "PeriodStats",
    "build_report",
    "compute_impact",
]

# The audit actions that are work done for a user, with their Dutch names.
ACTION_LABELS: dict[str, str] = {
    "ask": "vragen",
    "summarize": "samenvattingen",
    "bezwaar": "bezwaar-intakes",
    "redact": "lakopdrachten",
}
NO_TEAM = "(zonder team)"
UNKNOWN_USER = "(onbekende gebruiker)"
ESTIMATE_NOTE = (
    "Bespaarde tijd is een schatting: het aantal geslaagde acties maal de ingestelde "
    "minuten per soort actie ([impact] minutes_saved), niet gemeten."
)
DEFAULT_WEEKS = 13  # without --since: the last quarter, in whole weeks


@dataclass(frozen=True, slots=True)
class Latency:
    count: int
    p50: float | None  # seconds
    p95: float | None

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        if not seconds:
            return cls(0, None, None)
        p50, p95 = np.percentile(seconds, [50, 95])
        return cls(len(seconds), round(float(p50), 2), round(float(p95), 2))


@dataclass(slots=True)
class PeriodStats:
    period: str  # "2025-W03" or "2025-01"; "totaal" for the whole window
    label: str  # Dutch, for people
    start: date
    end: date  # inclusive
    questions: int = 0
    summaries: int = 0
    intakes: int = 0
    redactions: int = 0
    errors: int = 0
    active_users: int = 0
    refused: int = 0
    refusal_rate: float | None = None  # refused / answered-or-refused questions
    flagged_answers: int = 0
    flagged_share: float | None = None  # answers with a flagged sentence / answers
    latency: dict[str, Latency] = field(default_factory=dict)
    feedback_up: int = 0
    feedback_down: int = 0
    minutes_saved: float = 0.0  # estimate
    minutes_saved_by_team: dict[str, float] = field(default_factory=dict)  # estimate

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        data["hours_saved"] = round(self.minutes_saved / 60, 1)
        return data


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    time: str  # local time, ISO 8601
    verdict: str  # 'up' | 'down'
    comment: str | None
    user: str | None
    action: str
    record_id: int
    input: str | None  # the judged question or file (None when that record expired)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ImpactReport:
    since: date
    until: date
    timezone: str
    weeks: list[PeriodStats]
    months: list[PeriodStats]
    total: PeriodStats
    minutes_per_action: dict[str, float]
    teams: list[str]
    feedback: list[FeedbackEntry]

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "timezone": self.timezone,
            "estimate": {"minutes_per_action": self.minutes_per_action, "note": ESTIMATE_NOTE},
            "teams": self.teams,
            "total": self.total.to_dict(),
            "weeks": [p.to_dict() for p in self.weeks],
            "months": [p.to_dict() for p in self.months],
            "feedback": [f.to_dict() for f in self.feedback],
        }

    def series(self, period: str = "week") -> list[dict[str, Any]]:
        """Long-format rows for plots (e.g. Gradio's ``gr.BarPlot``/``gr.LinePlot`` over a
        DataFrame, ``x="start"``, ``y="value"``, ``color="measure"``, one plot per
        ``unit``): per week (or ``"month"``) one row per measure."""
        rows: list[dict[str, Any]] = []
        for stats in self.weeks if period == "week" else self.months:
            ask = stats.latency.get("ask", Latency(0, None, None))
            measures: list[tuple[str, str, float | None]] = [
                ("vragen", "aantal", stats.questions),
                ("samenvattingen", "aantal", stats.summaries),
                ("bezwaar-intakes", "aantal", stats.intakes),
                ("lakopdrachten", "aantal", stats.redactions),
                ("actieve gebruikers", "aantal", stats.active_users),
                ("duim omhoog", "beoordelingen", stats.feedback_up),
                ("duim omlaag", "beoordelingen", stats.feedback_down),
                ("geweigerd", "procent", _share(stats.refusal_rate)),
                ("met niet-onderbouwde zin", "procent", _share(stats.flagged_share)),
                ("vraag p50", "seconden", ask.p50),
                ("vraag p95", "seconden", ask.p95),
                ("bespaard (schatting)", "uur", round(stats.minutes_saved / 60, 2)),
            ]
            rows += [
                {
                    "period": stats.period,
                    "label": stats.label,
                    "start": stats.start.isoformat(),
                    "measure": measure,
                    "unit": unit,
                    "value": value,
                }
                for measure, unit, value in measures
                if value is not None
            ]
        return rows

    def to_csv(self, period: str = "week") -> str:
        """One row per week (``period="week"``) or month, Dutch column names, for the
        monthly report; the time-saved columns say in their name that they are estimates."""
        rows = self.weeks if period == "week" else self.months
        actions = list(ACTION_LABELS)
        header = [
            "periode", "van", "tot_en_met", "vragen", "samenvattingen", "bezwaar_intakes",
            "lakopdrachten", "fouten", "actieve_gebruikers", "weigeringen", "weigerpercentage",
            "antwoorden_met_gemarkeerde_zinnen", "percentage_gemarkeerd", "duim_omhoog",
            "duim_omlaag",
        ]  # fmt: skip
        for action in actions:
            header += [f"{ACTION_LABELS[action]}_p50_s", f"{ACTION_LABELS[action]}_p95_s"]
        header.append("bespaarde_uren_schatting")
        header += [f"bespaarde_uren_schatting_{team}" for team in self.teams]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for stats in rows:
            line: list[Any] = [
                stats.period, stats.start.isoformat(), stats.end.isoformat(), stats.questions,
                stats.summaries, stats.intakes, stats.redactions, stats.errors,
                stats.active_users, stats.refused, _percent(stats.refusal_rate),
                stats.flagged_answers, _percent(stats.flagged_share), stats.feedback_up,
                stats.feedback_down,
            ]  # fmt: skip
            for action in actions:
                latency = stats.latency.get(action, Latency(0, None, None))
                line += [_blank(latency.p50), _blank(latency.p95)]
            line.append(round(stats.minutes_saved / 60, 1))
            line += [round(stats.minutes_saved_by_team.get(t, 0.0) / 60, 1) for t in self.teams]
            writer.writerow(line)
        return buffer.getvalue()


def _share(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def _percent(share: float | None) -> str:
    return "" if share is None else f"{100 * share:.1f}"


def _blank(value: float | None) -> Any:
    return "" if value is None else value


# -- periods ---------------------------------------------------------------------------------


def _week_key(day: date) -> tuple[str, date]:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}", day - timedelta(days=day.weekday())


def _month_key(day: date) -> tuple[str, date]:
    return f"{day.year}-{day.month:02d}", day.replace(day=1)


def _next_week(start: date) -> date:
    return start + timedelta(days=7)


def _next_month(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _week_label(start: date, end: date) -> str:
    """'week 2 (6–12 jan)'; the year is in ``period``."""
    week = start.isocalendar()[1]
    first = format_date(start, "d" if start.month == end.month else "d MMM", locale="nl")
    return f"week {week} ({first}–{format_date(end, 'd MMM', locale='nl')})"


def _month_label(start: date, end: date) -> str:
    return format_date(start, "MMMM y", locale="nl")


def _periods(
    since: date,
    until: date,
    key: Callable[[date], tuple[str, date]],
    following: Callable[[date], date],
    label: Callable[[date, date], str],
) -> list[PeriodStats]:
    """Every period touching ``[since, until]``, clipped to it (empty ones included: a
    plot needs the zero weeks too)."""
    out: list[PeriodStats] = []
    name, start = key(since)
    while start <= until:
        end = following(start) - timedelta(days=1)
        clipped_start, clipped_end = max(start, since), min(end, until)
        out.append(PeriodStats(name, label(clipped_start, clipped_end), clipped_start, clipped_end))
        start = following(start)
        name = key(start)[0]
    return out


# -- the report ------------------------------------------------------------------------------


def _local_day(timestamp: str, zone: ZoneInfo) -> date:
    return datetime.fromisoformat(timestamp).astimezone(zone).date()


def _fill(
    stats: PeriodStats,
    activity: list[Activity],
    feedback: list[Feedback],
    settings: ImpactSettings,
) -> None:
    counts = Counter(a.action for a in activity if not a.error)
    stats.questions = counts["ask"]
    stats.summaries = counts["summarize"]
    stats.intakes = counts["bezwaar"]
    stats.redactions = counts["redact"]
    stats.errors = sum(1 for a in activity if a.error and a.action in ACTION_LABELS)
    stats.active_users = len({a.user for a in activity if a.user and a.action in ACTION_LABELS})
    questions = [a for a in activity if a.action == "ask" and not a.error]
    answered = [a for a in questions if not a.refused]
    stats.refused = len(questions) - len(answered)
    stats.refusal_rate = stats.refused / len(questions) if questions else None
    stats.flagged_answers = sum(1 for a in answered if a.flagged)
    stats.flagged_share = stats.flagged_answers / len(answered) if answered else None
    seconds: dict[str, list[float]] = defaultdict(list)
    for item in activity:
        if item.action in ACTION_LABELS and not item.error:
            seconds[item.action].append(item.seconds)
    stats.latency = {action: Latency.of(seconds[action]) for action in ACTION_LABELS}
    stats.feedback_up = sum(1 for f in feedback if f.verdict == "up")
    stats.feedback_down = sum(1 for f in feedback if f.verdict == "down")
    by_team: dict[str, float] = defaultdict(float)
    for item in activity:
        minutes = settings.minutes_saved.get(item.action, 0.0)
        # Only work that was done: no error, and a refused question saved nobody time.
        if minutes and not item.error and not (item.action == "ask" and item.refused):
            team = settings.teams.get(item.user, NO_TEAM) if item.user else UNKNOWN_USER
            by_team[team] += minutes
    stats.minutes_saved = round(sum(by_team.values()), 1)
    stats.minutes_saved_by_team = {team: round(m, 1) for team, m in sorted(by_team.items())}


def _latest_verdicts(feedback: Iterable[Feedback]) -> list[Feedback]:
    """A user may change their mind (the log only appends): the latest verdict of each
    user on each record counts."""
    latest: dict[tuple[int, str | None], Feedback] = {}
    for item in feedback:  # oldest first
        latest[(item.record_id, item.user)] = item
    return sorted(latest.values(), key=lambda f: (f.time, f.id or 0))


def build_report(
    activity: list[Activity],
    feedback: list[Feedback],
    settings: ImpactSettings,
    *,
    since: date,
    until: date,
    inputs: dict[int, str] | None = None,
) -> ImpactReport:
    """The report over ``[since, until]`` (local dates, inclusive) from the records and
    feedback of that window. ``inputs``: record id -> question/file, to show with feedback."""
    zone = ZoneInfo(settings.timezone)
    counted = _latest_verdicts(feedback)
    by_day_activity: dict[date, list[Activity]] = defaultdict(list)
    for item in activity:
        by_day_activity[_local_day(item.time, zone)].append(item)
    by_day_feedback: dict[date, list[Feedback]] = defaultdict(list)
    for verdict in counted:
        by_day_feedback[_local_day(verdict.time, zone)].append(verdict)

    def filled(periods: list[PeriodStats]) -> list[PeriodStats]:
        for stats in periods:
            length = (stats.end - stats.start).days + 1
            days = [stats.start + timedelta(days=n) for n in range(length)]
            _fill(
                stats,
                [a for day in days for a in by_day_activity.get(day, [])],
                [f for day in days for f in by_day_feedback.get(day, [])],
                settings,
            )
        return periods

    total = PeriodStats("totaal", f"{since.isoformat()} t/m {until.isoformat()}", since, until)
    _fill(total, activity, counted, settings)
    teams = sorted(set(total.minutes_saved_by_team) | set(settings.teams.values()))
    entries = [
        FeedbackEntry(
            time=datetime.fromisoformat(f.time).astimezone(zone).isoformat(timespec="seconds"),
            verdict=f.verdict,
            comment=f.comment,
            user=f.user,
            action=f.action,
            record_id=f.record_id,
            input=(inputs or {}).get(f.record_id),
        )
        for f in reversed(feedback)  # newest first, every judgement (also changed ones)
    ]
    return ImpactReport(
        since=since,
        until=until,
        timezone=settings.timezone,
        weeks=filled(_periods(since, until, _week_key, _next_week, _week_label)),
        months=filled(_periods(since, until, _month_key, _next_month, _month_label)),
        total=total,
        minutes_per_action=dict(settings.minutes_saved),
        teams=teams,
        feedback=entries,
    )


def default_since(until: date) -> date:
    """The Monday ``DEFAULT_WEEKS - 1`` weeks before ``until``'s week."""
    return until - timedelta(days=until.weekday(), weeks=DEFAULT_WEEKS - 1)


def compute_impact(
    audit: AuditLog,
    settings: ImpactSettings,
    *,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
) -> ImpactReport:
    """The impact report over the audit log; default: the last 13 weeks up to today."""
    zone = ZoneInfo(settings.timezone)
    until = until or today or datetime.now(zone).date()
    since = since or default_since(until)
    if since > until:
        raise InputError(f"--since ({since}) ligt na --until ({until})")
    start = datetime.combine(since, time(), zone)
    end = datetime.combine(until + timedelta(days=1), time(), zone)
    activity = audit.activity(start=start, end=end)
    feedback = audit.feedback(start=start, end=end)
    inputs: dict[int, str] = {}
    for record_id in {f.record_id for f in feedback}:
        record = audit.record(record_id)
        if record is not None:
            inputs[record_id] = record.input
    return build_report(activity, feedback, settings, since=since, until=until, inputs=inputs)
