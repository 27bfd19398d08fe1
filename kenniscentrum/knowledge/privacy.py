"""The facts of the privacy statement (AVG art. 13) that come from the region file, not from the page text.

What the controller has not yet supplied stays empty in the region file, and the page says it is still to be
confirmed: a privacy statement must not guess who is responsible or on what legal ground.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.region import region

# Why the platform processes personal data; the region file gives each purpose its legal grounds.
PURPOSES = [
    ("reports", _("Receiving and assessing reports, and answering the people who made them")),
    ("cases", _("Coordinating help and protection for the people concerned, together with partner organisations")),
    ("statistics", _("Figures without names for the centre and the municipalities that fund it")),
    ("audit", _("Recording who looked at or changed personal data, to protect it")),
]
GROUNDS = [
    ("art6", _("AVG art. 6")),
    ("art9", _("AVG art. 9 with the UAVG")),
    ("art10", _("AVG art. 10 with the UAVG")),
]


# What the controller may still have to confirm, in the order the page gives it: said once, in the note at the top of
# the privacy statement, so that the items themselves read cleanly (a note at every item hid what the page says).
TO_CONFIRM = {
    "controller": _("which organisation is responsible for your data (the controller)"),
    "dpo": _("who the data protection officer is, and how to reach them"),
    "legal_bases": _("the legal ground for each purpose"),
    "processors": _("which organisations host or maintain the platform for us (processors)"),
    "retention": _("how long we keep information: the terms below are a proposal that the platform applies"),
}


def to_confirm(facts: dict[str, Any]) -> list[Any]:
    """What the region file does not yet give (or gives as a proposal), as the note at the top lists it."""
    missing = {
        "controller": not facts["controller"].get("name"),
        "dpo": not (facts["dpo"].get("name") or facts["dpo"].get("contact")),
        "legal_bases": facts["legal_bases_missing"],
        "processors": not facts["processors"],
        "retention": bool(facts["retention"].get("proposal")),
    }
    return [label for key, label in TO_CONFIRM.items() if missing[key]]


def privacy_facts() -> dict[str, Any]:
    data = region()
    privacy = data.get("privacy", {})
    bases = privacy.get("legal_bases", {})
    grounds = {key: [(label, bases.get(key, {}).get(ground, "")) for ground, label in GROUNDS] for key, _ in PURPOSES}
    # Each purpose with the grounds the region file gives; one not given is in the note at the top instead.
    purposes = [{"label": label, "grounds": [g for g in grounds[key] if g[1]]} for key, label in PURPOSES]
    facts = {
        "controller": privacy.get("controller", {}),
        "dpo": privacy.get("data_protection_officer", {}),
        "purposes": purposes,
        "recipients": [organisation["name"] for organisation in data.get("organisations", [])],
        "municipality_count": len(data.get("municipalities", [])),
        "processors": privacy.get("processors", []),
        "retention": data.get("retention", {}),
        "legal_bases_missing": any(not value for given in grounds.values() for _label, value in given),
    }
    facts["to_confirm"] = to_confirm(facts)
    return facts
