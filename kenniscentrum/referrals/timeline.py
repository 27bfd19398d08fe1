"""The referral steps on a case's timeline (cases/timeline.py): a partner sees its own organisation's only."""

from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.cases.access import PARTNER
from kenniscentrum.cases.models import Case
from kenniscentrum.cases.timeline import Entry, entry_name, newest, timeline_source

from .models import ReferralTransition


@timeline_source
def referral_entries(case: Case, user: User, part: str | None, latest: int | None) -> tuple[list[Entry], int]:
    steps = ReferralTransition.objects.filter(referral__case=case).select_related("referral__organisation", "actor")
    if part == PARTNER:
        steps = steps.filter(referral__organisation_id=user.organisation_id or 0)
    shown, count = newest(steps, latest)
    return [
        Entry(
            step.created_at,
            "referral",
            _("Referral to %(organisation)s: %(status)s")
            % {"organisation": step.referral.organisation, "status": step.get_to_status_display()},
            entry_name(step.actor),
            step.reason,
        )
        for step in shown
    ], count
