from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kenniscentrum.lib.vocabulary import LegalBasis

from .models import Covenant, Municipality, Organisation, OrganisationType


@transaction.atomic
def region_load(data: dict[str, Any]) -> tuple[int, int]:
    """Creates or updates the region's municipalities and organisations from a region file's data.

    Idempotent: running it again changes nothing. Returns (municipalities, organisations) counts.
    """
    by_code: dict[str, Municipality] = {}
    for item in data["municipalities"]:
        municipality, _ = Municipality.objects.update_or_create(
            cbs_code=item["cbs_code"], defaults={"name": item["name"], "source": item.get("source", "")}
        )
        by_code[municipality.cbs_code] = municipality
    organisations = [data["centre"] | {"type": OrganisationType.KNOWLEDGE_CENTRE}, *data["organisations"]]
    for item in data["municipalities"]:
        organisations.append(
            {
                "name": f"Gemeente {item['name']}",
                "type": OrganisationType.MUNICIPALITY,
                "municipality": item["cbs_code"],
            }
        )
    for item in organisations:
        Organisation.objects.update_or_create(
            name=item["name"],
            defaults={
                "type": OrganisationType(item["type"]),
                "municipality": by_code.get(item.get("municipality", "")),
            },
        )
    return len(by_code), len(organisations)


def covenant_for(organisation: Organisation, covenant: Covenant | None = None) -> Covenant:
    """The covenant a grant or referral to `organisation` rests on: the one named, which must be in force with the
    organisation as a party; without one named, the latest in force that the organisation is a party to."""
    if covenant is None:
        found = Covenant.objects.covering(organisation).first()
        if found is None:
            raise ValidationError(
                _(
                    "No covenant in force covers sharing with %(organisation)s. A functional administrator records "
                    "the covenants in the register."
                )
                % {"organisation": organisation}
            )
        return found
    if not covenant.in_force_on(timezone.localdate()):
        raise ValidationError(_("The covenant '%(covenant)s' is not in force today.") % {"covenant": covenant})
    if not covenant.parties.filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("%(organisation)s is not a party to the covenant '%(covenant)s'.")
            % {"organisation": organisation, "covenant": covenant}
        )
    return covenant


def legal_basis_problem(covenant: Covenant, legal_basis: str) -> str | None:
    """A covenant names the grounds (AVG art. 6) that sharing under it may rest on; another ground is refused."""
    if legal_basis in covenant.legal_bases:
        return None
    return _("The covenant '%(covenant)s' does not allow sharing on the basis '%(basis)s'.") % {
        "covenant": covenant,
        "basis": LegalBasis(legal_basis).label,
    }
