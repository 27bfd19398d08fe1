"""Who may read a reporter's identity: the one rule, used by the report page, the case page and any list."""

from kenniscentrum.accounts.models import Role, User

from .models import Report


def sees_reporter(user: User, director_id: int | None) -> bool:
    """A reporter's name and contact details are for the centre's intake workers, and for the director of
    the case the report became part of; other case directors see the report without them."""
    return user.in_centre and (user.has_role(Role.INTAKE) or (director_id is not None and director_id == user.pk))


def sees_reporter_of(user: User, report: Report) -> bool:
    return sees_reporter(user, report.case.director_id if report.case else None)
