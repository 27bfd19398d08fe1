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


def privacy_facts() -> dict[str, Any]:
    data = region()
    privacy = data.get("privacy", {})
    bases = privacy.get("legal_bases", {})
    purposes = [
        {
            "label": label,
            "grounds": [(ground_label, bases.get(key, {}).get(ground, "")) for ground, ground_label in GROUNDS],
        }
        for key, label in PURPOSES
    ]
    return {
        "controller": privacy.get("controller", {}),
        "dpo": privacy.get("data_protection_officer", {}),
        "purposes": purposes,
        "recipients": [organisation["name"] for organisation in data.get("organisations", [])],
        "municipality_count": len(data.get("municipalities", [])),
        "processors": privacy.get("processors", []),
        "retention": data.get("retention", {}),
    }
