"""What a handover between regions may carry, and the summary that goes with it.

The legal basis decides which parts of a case may go to another region's centre (region file
`cases.handover.parts_by_legal_basis`); the summary holds only the parts the director chose that the basis allows,
so a later change of the rules never prints more than was allowed when it is read.
"""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from kenniscentrum.lib.region import region
from kenniscentrum.lib.vocabulary import HandoverStatus, InvolvementRole, TaskStatus

from .models import Case, Handover, HandoverDirection, HandoverPart, Involvement, ShelterPlacement

# Without the region's rules: the minimal record of REFERENCE.md §5.2 (identity basics, the concerns, the plan of
# action, the organisations involved), whatever the basis.
MINIMAL_RECORD = [HandoverPart.IDENTITY, HandoverPart.CONCERNS, HandoverPart.PLAN, HandoverPart.ORGANISATIONS]


def parts_allowed(legal_basis: str) -> list[str]:
    """The parts a handover on this legal basis may carry, in the order of HandoverPart."""
    rules = region().get("cases", {}).get("handover", {}).get("parts_by_legal_basis")
    allowed = set(rules.get(legal_basis, [])) if rules is not None else set(MINIMAL_RECORD)
    return [code for code in HandoverPart.values if code in allowed]


def parts_shown(handover: Handover) -> set[str]:
    """What the summary of an outgoing handover shows: chosen, and allowed by its basis."""
    return set(handover.parts) & set(parts_allowed(handover.legal_basis))


def handed_away() -> Any:
    """A filter on involvements: the possible victim's trajectory was handed to another region, which carries it
    now."""
    accepted = Handover.objects.filter(
        involvement=OuterRef("pk"), direction=HandoverDirection.OUTGOING, status=HandoverStatus.ACCEPTED
    )
    return Exists(accepted)


def trajectory_here(case: Case) -> QuerySet[Involvement]:
    """The case's possible victims whose trajectory this centre still carries."""
    return case.involvements.filter(role=InvolvementRole.VICTIM).exclude(handed_away())


def handover_summary(handover: Handover) -> dict[str, Any]:
    """The parts of the case an outgoing handover carries, for the printed summary; nothing of a part left out."""
    case = handover.case
    shown = parts_shown(handover)
    victims = case.involvements.filter(role=InvolvementRole.VICTIM).select_related("person")
    if handover.involvement_id is not None:
        victims = victims.filter(pk=handover.involvement_id)
    persons = [i.person for i in victims]
    summary: dict[str, Any] = {
        "shown": shown,
        "left_out": [label for code, label in HandoverPart.choices if code not in shown],
        **dict.fromkeys(("victims", "safety_flags", "forms", "goals", "tasks", "trajectories", "organisations"), []),
        "case_summary": "",
        "risk": None,
    }
    if HandoverPart.IDENTITY in shown:
        summary["victims"] = list(victims)
    if HandoverPart.SAFETY in shown:
        flags = case.safety_flags.active().select_related("person")
        summary["safety_flags"] = [f for f in flags if f.person_id is None or f.person in persons]
    if HandoverPart.CONCERNS in shown:
        summary["forms"] = case.form_names
        summary["case_summary"] = case.summary
    if HandoverPart.PLAN in shown:
        summary["goals"] = list(case.goals.all())
        tasks = case.tasks.filter(status=TaskStatus.OPEN).select_related("owner_user", "owner_organisation")
        summary["tasks"] = list(tasks)
    if HandoverPart.TRAJECTORY in shown:
        victims = victims.select_related("comensha", "reflection__offered_by")
        summary["trajectories"] = [
            {
                "involvement": involvement,
                "comensha": getattr(involvement, "comensha", None),
                "reflection": getattr(involvement, "reflection", None),
                "placements": list(
                    ShelterPlacement.objects.filter(involvement=involvement).select_related("organisation")
                ),
            }
            for involvement in victims
        ]
    if HandoverPart.RISK in shown:
        summary["risk"] = case.risk_assessments.order_by("-assessed_on", "-id").first()
    if HandoverPart.ORGANISATIONS in shown:
        organisations = {grant.organisation for grant in case.grants.active().select_related("organisation")}
        if case.coordinator_organisation is not None:
            organisations.add(case.coordinator_organisation)
        summary["organisations"] = sorted(organisations, key=lambda o: o.name)
    return summary
