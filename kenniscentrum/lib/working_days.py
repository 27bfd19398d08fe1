"""Working days in the Netherlands: Monday to Friday, except Dutch public holidays (the `holidays` library keeps the
list, so nobody maintains dates by hand). Response terms in working days are counted with these."""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def working_days_later(start: datetime, days: int) -> datetime:
    """The moment `days` working days after `start`, at the same local time of day. A start on a weekend or holiday
    counts from the end of that day: Saturday 10:00 plus one working day is the end of Monday."""
    moment = timezone.localtime(start)
    if not is_working_day(moment.date()):
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=0)
    day = moment.date()
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return moment + timedelta(days=(day - moment.date()).days)
