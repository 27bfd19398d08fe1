import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from kenniscentrum.indicators.services import indicators_load

DATA = Path(__file__).resolve().parents[2] / "data" / "indicators.json"


class Command(BaseCommand):
    help = "Loads the indicator catalogue (signal lists with their sources) from the data file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", type=Path, default=DATA)

    def handle(self, *args: Any, **options: Any) -> None:
        count = indicators_load(json.loads(options["file"].read_text(encoding="utf-8")))
        self.stdout.write(f"{count} indicators loaded.")
