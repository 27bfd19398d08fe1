"""Who may read reports and a reporter's identity: the rules, and the gate the staff views use.

The reporter's identity rule is used by the report page, the case page and any list.
"""

from django.http import Http404, HttpRequest

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.decorators import allowed_when

from .models import Report


def sees_reporter(user: User, director_id: int | None) -> bool:
    """A reporter's name and contact details are for the centre's intake workers, and for the director of
    the case the report became part of; other case directors see the report without them."""
    return user.in_centre and (user.has_role(Role.INTAKE) or (director_id is not None and director_id == user.pk))


def sees_reporter_of(user: User, report: Report) -> bool:
    return sees_reporter(user, report.case.director_id if report.case else None)


def answers_for_reporter(user: User, report: Report) -> bool:
    """Whether a data request (AVG art. 15) this user puts together for a report's reporter holds who they are: for
    the centre's privacy officer, who answers such requests, and for whoever sees the reporter anyway (the rule
    above); any other case director answers without the reporter's name and contact details."""
    return (user.in_centre and user.has_role(Role.PRIVACY_OFFICER)) or sees_reporter_of(user, report)


# Only the centre's intake workers and case directors handle reports; others get 403, audited.
report_handler_required = allowed_when(lambda user: user.handles_reports_and_cases)


def report_for_user(request: HttpRequest, pk: int) -> Report:
    """The report if this user may see it; otherwise 404, and the attempt is audited."""
    user = request.user
    assert isinstance(user, User)
    report = (
        Report.objects.visible_to(user)
        .select_related("municipality", "assignee", "created_by", "forwarded_to", "partner_organisation", "case")
        .prefetch_related("forms")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        audit_record(action=Action.ACCESS_DENIED, actor=user, path=request.path[:200], report_id=str(pk)[:20])
        raise Http404
    return report
