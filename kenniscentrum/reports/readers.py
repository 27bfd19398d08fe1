"""The one statement the public side makes about who reads a report, made from the access rules themselves.

Every public page that says who reads a report shows this statement (the home page, the page on what happens
after a report, the privacy statement, the route to stop, the receipt page), so the pages cannot contradict each
other or the code: the roles listed are REPORT_ROLES, the roles that `User.handles_reports_and_cases` lets in, and the
sentence on the reporter's name follows `access.sees_reporter`.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kenniscentrum.accounts.models import REPORT_ROLES, Role
from kenniscentrum.lib.region import region

# How a visitor is told what each reading role does; a role added to REPORT_ROLES needs its line here.
ROLE_FOR_VISITORS = {
    Role.INTAKE: _("intake workers, who receive every report and decide what happens next;"),
    Role.CASE_DIRECTOR: _("case directors, who steer the cases that reports lead to."),
}


def report_reader_lines() -> list[str]:
    """One line per role that reads reports, in the order of Role."""
    return [str(ROLE_FOR_VISITORS[role]) for role in Role if role in REPORT_ROLES]


def who_reads_report() -> SafeString:
    """The statement as HTML in the current language."""
    context = {"centre": region()["centre"]["name"], "lines": report_reader_lines()}
    return render_to_string("includes/who_reads.html", context)
