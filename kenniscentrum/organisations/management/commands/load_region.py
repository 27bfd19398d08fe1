import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kenniscentrum.organisations.services import region_load


class Command(BaseCommand):
    help = "Loads the region's municipalities and organisations from the region file (REGION_FILE)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", type=Path, default=settings.REGION_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(options["file"].read_text(encoding="utf-8"))
        municipalities, organisations = region_load(data)
        self.stdout.write(f"{data['name']}: {municipalities} municipalities, {organisations} organisations.")
