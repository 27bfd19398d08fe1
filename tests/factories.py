"""Rows a test needs as a setting, not as the thing under test (factory_boy, with traits).

What a test checks goes through the services, which keep the rules; a factory builds the surroundings in one line:
a grant that already ended, a task that is overdue or addressed to an organisation.
"""

from datetime import date, timedelta

import factory
from django.utils import timezone

from kenniscentrum.cases.models import AccessGrant, Task
from kenniscentrum.lib.vocabulary import LegalBasis, TaskStatus


class AccessGrantFactory(factory.django.DjangoModelFactory):
    """An organisation's access to a case, active from today without an end."""

    class Meta:
        model = AccessGrant

    purpose = "Samenwerking in de casus"
    legal_basis = LegalBasis.PUBLIC_TASK

    class Params:
        # Ended yesterday, after a month.
        expired = factory.Trait(
            valid_from=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=31)),
            valid_until=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1)),
        )
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))


class TaskFactory(factory.django.DjangoModelFactory):
    """A task of a case's plan; give `owner_user`, or use the `for_organisation` trait with `owner_organisation`."""

    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Taak {n}")

    class Params:
        for_organisation = factory.Trait(owner_user=None)
        overdue = factory.Trait(due_date=date(2020, 1, 1))
        done = factory.Trait(status=TaskStatus.DONE, completed_at=factory.LazyFunction(timezone.now))
