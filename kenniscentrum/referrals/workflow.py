"""The referral workflow as one table: proposed -> sent -> accepted or declined -> completed, or withdrawn.

Who takes a step is a side: the centre's side of the case (manager or coordinator) or the organisation the
referral is addressed to. `docs/workflows.md` draws the same table.
"""

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.lib.vocabulary import ReferralStatus
from kenniscentrum.lib.workflow import Transition, Workflow

if TYPE_CHECKING:
    from .models import Referral

CENTRE, RECIPIENT = "centre", "recipient"

# A referral not yet ended: it can still be withdrawn, and closing its case offers to withdraw it.
RUNNING = frozenset({ReferralStatus.PROPOSED, ReferralStatus.SENT, ReferralStatus.ACCEPTED})
# Accepted, and perhaps completed since: the organisation works (or worked) on the case under it.
WORKED_ON = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED})


def access_still_given(referral: "Referral", actor: Any = None) -> str | Promise | None:
    """The centre revoked the organisation's access to the case after this referral was made: accepting it must
    not hand that access back."""
    revoked = AccessGrant.objects.filter(
        case=referral.case_id, organisation=referral.organisation_id, revoked_at__gte=referral.created_at
    ).exists()
    if not revoked:
        return None
    return _(
        "The centre has ended your organisation's access to this case since the referral was sent. "
        "It can no longer be accepted; contact the case director."
    )


def covenant_in_force(referral: "Referral", actor: Any = None) -> str | Promise | None:
    """Accepting gives access under the referral's covenant: not once that covenant has ended."""
    covenant = referral.covenant
    if covenant is None or covenant.in_force_on(timezone.localdate()):
        return None
    return _(
        "The covenant this referral rests on, '%(covenant)s', is no longer in force. "
        "It can no longer be accepted; contact the case director."
    ) % {"covenant": covenant}


def case_open(referral: "Referral", actor: Any = None) -> str | Promise | None:
    """Accepting gives access to work on the case: not once the case is closed (probe finding 11). Closing may leave
    a referral running; the centre withdraws it, or reopens the case and sends a new one."""
    if referral.case.is_open:
        return None
    return _("Case %(reference)s is closed. The referral can no longer be accepted; contact the case director.") % {
        "reference": referral.case.reference
    }


def access_not_run_out(referral: "Referral", actor: Any = None) -> str | Promise | None:
    """The organisation's access to the case ran out on its end date after the referral was made: the centre set
    that end, and accepting must not start a fresh year of access (probe finding 11). A referral made after the
    access ran out is the centre's new decision, and may be accepted."""
    case, organisation = referral.case_id, referral.organisation_id
    if AccessGrant.objects.active().filter(case=case, organisation=organisation).exists():
        return None  # accepting makes no grant
    ended = (
        AccessGrant.objects.filter(case=case, organisation=organisation, revoked_at=None)
        .filter(valid_until__lt=timezone.localdate(), valid_until__gte=timezone.localdate(referral.created_at))
        .order_by("-valid_until")
        .first()
    )
    if ended is None or ended.valid_until is None:
        return None
    return _(
        "Your organisation's access to this case ended on %(date)s, after the referral was sent. "
        "It can no longer be accepted; contact the case director."
    ) % {"date": date_format(ended.valid_until, "SHORT_DATE_FORMAT")}


def _on_enter(referral: "Referral", transition: Transition, text: str, actor: Any) -> list[str]:
    if transition.name in ("accept", "decline"):
        referral.answered_by = actor
        return ["answered_by"]
    return []


REFERRAL_FLOW = Workflow.of(
    [
        Transition(
            "send", _("Send"), frozenset({ReferralStatus.PROPOSED}), ReferralStatus.SENT, by=frozenset({CENTRE})
        ),
        Transition(
            "accept",
            _("Accept"),
            frozenset({ReferralStatus.SENT}),
            ReferralStatus.ACCEPTED,
            (case_open, access_still_given, access_not_run_out, covenant_in_force),
            by=frozenset({RECIPIENT}),
        ),
        Transition(
            "decline",
            _("Decline"),
            frozenset({ReferralStatus.SENT}),
            ReferralStatus.DECLINED,
            by=frozenset({RECIPIENT}),
            text_required=True,
            text_field="decline_reason",
        ),
        Transition(
            "complete",
            _("Mark as completed"),
            frozenset({ReferralStatus.ACCEPTED}),
            ReferralStatus.COMPLETED,
            by=frozenset({CENTRE, RECIPIENT}),
        ),
        Transition(
            "withdraw", _("Withdraw"), RUNNING, ReferralStatus.WITHDRAWN, by=frozenset({CENTRE}), text_required=True
        ),
    ],
    history="referrals.ReferralTransition",
    subject="referral",
    not_possible=_("This step is not possible while the referral is '%(status)s'."),
    on_enter=_on_enter,
)
