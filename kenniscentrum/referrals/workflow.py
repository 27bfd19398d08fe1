"""The referral workflow as one table: proposed -> sent -> accepted or declined -> completed, or withdrawn.

Who takes a step is a side: the centre's side of the case (manager or coordinator) or the organisation the
referral is addressed to. `docs/workflows.md` draws the same table.
"""

from typing import TYPE_CHECKING, Any

from django.utils import timezone
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
            (access_still_given, covenant_in_force),
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
