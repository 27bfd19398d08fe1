"""Two senders at the same moment, for real: threads on PostgreSQL, each message sent once."""

import pytest
from django.db import connection

from kenniscentrum.notifications.models import Notification, State
from kenniscentrum.notifications.services import outbox_send
from tests.conftest import submit_report
from tests.reports.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is PostgreSQL's"),
]


def test_two_senders_at_once_send_each_notification_once(smtp, intake) -> None:
    for _ in range(120):
        submit_report()
    results = at_once(outbox_send, outbox_send)
    assert sum(sent for sent, _failed in results) == 120
    assert not Notification.objects.exclude(state=State.SENT).exists()
    links = [body.split("\n")[1] for body in smtp.bodies()]
    assert len(links) == 120 and len(set(links)) == 120
