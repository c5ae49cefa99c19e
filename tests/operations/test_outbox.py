from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import WebSubPing
from articles.operations.outbox import Outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox():
    return Outbox(WebSubPing, name="test-outbox", batch_size=2, lease_seconds=60)


def queue(count, *, due_in=timedelta(0)):
    return WebSubPing.objects.bulk_create(
        WebSubPing(topic_url=f"https://example.com/{n}", next_attempt_at=timezone.now() + due_in)
        for n in range(count)
    )


def test_a_claimed_row_is_leased_so_a_second_claim_skips_it(outbox):
    queue(3)
    first = outbox.claim_due()
    second = outbox.claim_due()
    assert len(first) == 2
    assert len(second) == 1
    assert not {row.pk for row in first} & {row.pk for row in second}
    assert outbox.claim_due() == []


def test_rows_not_yet_due_wait_unless_asked_for(outbox):
    queue(1, due_in=timedelta(hours=1))
    assert outbox.claim_due() == []
    assert len(outbox.claim_due(include_future=True)) == 1


def test_a_failure_counts_the_attempt_and_doubles_the_delay(outbox):
    (row,) = queue(1)
    outbox.reschedule(row, OSError("connection refused"))
    outbox.reschedule(row, OSError("connection refused"))
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.last_error == "OSError: connection refused"
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=110)


def test_a_delivery_that_raises_is_logged_and_the_rows_stay(outbox, caplog):
    queue(1)

    def deliver():
        raise RuntimeError("broken")

    outbox.start(deliver)
    outbox.join(10)
    assert "test-outbox delivery stopped" in caplog.text
    assert WebSubPing.objects.count() == 1
