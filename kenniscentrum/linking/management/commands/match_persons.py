import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kenniscentrum.cases.models import Person
from kenniscentrum.linking import matching
from kenniscentrum.linking.services import persons_match


class Command(BaseCommand):
    help = (
        "Person matching with Splink. Without options: suggests pairs of persons in the case file who may be one "
        "human, for a case director to review (run nightly). --person ID: only pairs with that person. "
        "--csv IN --out OUT: checks a file against itself (columns: id, first_name, last_name, date_of_birth, "
        "gender, nationality, phone, postcode, house_number, place) and writes id, cluster_id, match_probability, "
        "without touching the database. --train N: trains the model on N synthetic records and writes it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--person", type=int)
        parser.add_argument("--csv", type=Path)
        parser.add_argument("--out", type=Path)
        parser.add_argument("--train", type=int, metavar="N")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["train"]:
            from bench.persons import records

            model = matching.train(list(records(options["train"], seed=7)))
            matching.MODEL.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
            self.stdout.write(f"Model trained on {options['train']} synthetic records: {matching.MODEL}")
            return
        if options["csv"] or options["out"]:
            if not (options["csv"] and options["out"]):
                raise CommandError("Give both --csv IN and --out OUT.")
            try:
                rows = matching.read_csv(options["csv"])
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                raise CommandError(f"Cannot read {options['csv']}: {exc}") from exc
            result = matching.clusters(rows)
            matching.write_csv(options["out"], result)
            self.stdout.write(
                f"{len(rows)} records in {len({r['cluster_id'] for r in result})} clusters: {options['out']}"
            )
            return
        person = None
        if options["person"] is not None:
            person = Person.objects.filter(pk=options["person"]).first()
            if person is None:
                raise CommandError(f"There is no person {options['person']}.")
        made = persons_match(person=person)
        self.stdout.write(f"{made} new pairs to review.")
