"""Month arithmetic on CV dates, with the uncertainty of year-only dates made explicit.

`2018–2020` may mean Jan 2018–Dec 2020 or Dec 2018–Jan 2020. Checks that accuse the CV
(gaps, overlaps) use the reading that is kindest to the candidate, so a finding holds
whatever the months were; a check that credits the CV (years of experience) uses the
most generous reading for the same reason.
"""

import datetime as dt
from dataclasses import dataclass

from dossier.contracts.claims import Education, Employment, YearMonth


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def today_index(today: dt.date) -> int:
    return month_index(today.year, today.month)


def earliest(value: YearMonth) -> int:
    """The first month the date can mean (`2019` → Jan 2019)."""
    return month_index(value.year, value.month or 1)


def latest(value: YearMonth) -> int:
    """The last month the date can mean (`2019` → Dec 2019)."""
    return month_index(value.year, value.month or 12)


@dataclass(frozen=True)
class Stint:
    """A dated CV entry as a closed range of month indexes, in one reading.

    `start` and `end` keep the dates as written, for statements; `end` is None while
    the entry is current.
    """

    name: str
    first: int
    last: int
    start: YearMonth
    end: YearMonth | None
    part_time: bool = False


def _written_end(start: YearMonth, end: YearMonth | None, current: bool) -> YearMonth | None:
    if current:
        return None
    return end or start


def widest(
    name: str, start: YearMonth | None, end: YearMonth | None, current: bool, today: int
) -> Stint | None:
    """The longest the entry can have lasted (`2018–2020` → Jan 2018–Dec 2020)."""
    if start is None:
        return None
    written_end = _written_end(start, end, current)
    first = earliest(start)
    last = today if written_end is None else latest(written_end)
    return Stint(name, first, max(min(last, max(today, first)), first), start, written_end)


def narrowest(
    name: str, start: YearMonth | None, end: YearMonth | None, current: bool, today: int
) -> Stint | None:
    """The shortest the entry can have lasted (`2018–2020` → Dec 2018–Jan 2020)."""
    if start is None:
        return None
    written_end = _written_end(start, end, current)
    first = latest(start)
    last = today if written_end is None else earliest(written_end)
    if first > last:  # `2019` alone, or an impossible range: at most a single month
        return Stint(name, last, last, start, written_end)
    return Stint(name, first, last, start, written_end)


def job_stint(job: Employment, today: int, *, kind: str = "widest") -> Stint | None:
    reading = widest if kind == "widest" else narrowest
    stint = reading(job.employer, job.start, job.end, job.current, today)
    if stint is None:
        return None
    return Stint(stint.name, stint.first, stint.last, stint.start, stint.end, job.part_time)


def education_stint(entry: Education, today: int) -> Stint | None:
    """Studies as covered time (widest reading); a lone year stands for that year."""
    start = entry.start or entry.end
    return widest(entry.institution, start, entry.end, False, today)


def covered_months(stints: list[Stint]) -> int:
    """How many distinct months the stints cover together."""
    months: set[int] = set()
    for stint in stints:
        months.update(range(stint.first, stint.last + 1))
    return len(months)
