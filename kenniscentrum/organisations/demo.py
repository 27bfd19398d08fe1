"""The demo's covenant. It is an example, not the region's real covenant: its name says so, and no one may read
it as the rules that apply in Twente. A real installation records its own covenants in the register (/beheer/)."""

from datetime import date

from django.db import transaction

from kenniscentrum.lib.vocabulary import LegalBasis

from .models import Covenant, Organisation, OrganisationType, WithoutConsent

DEMO_COVENANT = "Voorbeeldconvenant mensenhandel (demo, geen echt convenant)"

# The rule the platform had in code before the register: police, public prosecutor and labour inspectorate only
# with consent, or without it for a minor or in acute danger; care and the others on the covenant's basis.
DEMO_RULES = {
    OrganisationType.POLICE: WithoutConsent.MINOR_OR_ACUTE,
    OrganisationType.PROSECUTION: WithoutConsent.MINOR_OR_ACUTE,
    OrganisationType.LABOUR_INSPECTORATE: WithoutConsent.MINOR_OR_ACUTE,
    OrganisationType.MUNICIPALITY: WithoutConsent.ON_BASIS,
    OrganisationType.CARE: WithoutConsent.ON_BASIS,
    OrganisationType.VEILIG_THUIS: WithoutConsent.ON_BASIS,
    OrganisationType.COMENSHA: WithoutConsent.ON_BASIS,
}


@transaction.atomic
def demo_covenant_create(starts_on: date = date(2020, 1, 1)) -> Covenant:
    """The example covenant with every partner of the region as a party (idempotent)."""
    covenant, created = Covenant.objects.get_or_create(
        name=DEMO_COVENANT,
        defaults={
            "scope": "Voorbeeld: signalen en casussen van mogelijke mensenhandel in de regio.",
            "purposes": "Voorbeeld: risicotaxatie, plan van aanpak, zorg en opsporing.",
            "legal_bases": list(LegalBasis.values),
            "special_data_basis": "Voorbeeld: niet ingevuld in de demo.",
            "criminal_data_basis": "Voorbeeld: niet ingevuld in de demo.",
            "starts_on": starts_on,
        },
    )
    covenant.parties.add(*Organisation.objects.partners())
    if created:
        for organisation_type, rule in DEMO_RULES.items():
            covenant.rules.create(organisation_type=organisation_type, without_consent=rule)
    return covenant
