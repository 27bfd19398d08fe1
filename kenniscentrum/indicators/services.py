from typing import Any

from django.db import transaction

from .models import TRANSLATED_LANGUAGES, Indicator, IndicatorList


@transaction.atomic
def indicators_load(data: dict[str, Any]) -> int:
    """Creates or updates the catalogue from the data file; returns how many indicators it holds.

    Idempotent. An indicator edited by a functional administrator is overwritten only when the data
    file itself changes that indicator's fields, so load after reviewing the file's diff.
    """
    count = 0
    for list_order, item in enumerate(data["lists"]):
        indicator_list, _ = IndicatorList.objects.update_or_create(
            key=item["key"],
            defaults={
                **{f"title_{lang}": item["title"].get(lang, "") for lang in TRANSLATED_LANGUAGES},
                "source": item["source"],
                "publisher": item.get("publisher", ""),
                "url": item.get("url", ""),
                "truncated": item["truncated"],
                "sectors": item.get("sectors", []),
                "order": list_order,
            },
        )
        for order, indicator in enumerate(item["indicators"]):
            Indicator.objects.update_or_create(
                code=indicator["code"],
                defaults={
                    "indicator_list": indicator_list,
                    **{f"text_{lang}": indicator.get(lang, "") for lang in TRANSLATED_LANGUAGES},
                    **{f"you_{lang}": indicator.get("you", {}).get(lang, "") for lang in TRANSLATED_LANGUAGES},
                    **{f"they_{lang}": indicator.get("they", {}).get(lang, "") for lang in TRANSLATED_LANGUAGES},
                    "check_step": indicator.get("check", {}).get("step", ""),
                    "forms": indicator["forms"],
                    "element": indicator["element"],
                    "also_elements": indicator.get("also_elements", []),
                    "topic": indicator.get("topic", ""),
                    "publisher": indicator.get("publisher", ""),
                    "url": indicator.get("url", ""),
                    "audiences": indicator["audiences"],
                    "truncated": indicator["truncated"],
                    "order": order,
                },
            )
            count += 1
    # Twins and near-duplicates point at signals that may come later in the file, so they are linked once all exist.
    for item in data["lists"]:
        for indicator in item["indicators"]:
            links = {field: indicator.get(field) for field in ("same_as", "asked_as")}
            Indicator.objects.filter(code=indicator["code"]).update(
                **{field: Indicator.objects.get(code=code) if code else None for field, code in links.items()}
            )
    return count
