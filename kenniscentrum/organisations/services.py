from typing import Any

from django.db import transaction

from .models import Municipality, Organisation, OrganisationType


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
