"""Benchmark (not a test): a reminder run over 100,000 open items with 200,000 users.

    THENCHOT_TESTING=1 DATABASE_URL=sqlite:////tmp/bench_notif.sqlite3 \
        .venv/bin/python -m thenchot.notifications.tests.bench_reminders

Measures the notifications side only (a fake source serving prebuilt items): the source's own
query time is the directives benchmark's business. Prints seconds for the first run, which
creates the rows, and for a second run the same day, which must create nothing. E-mail goes to
the locmem backend so the figure is the database work, not an SMTP server.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model

    from thenchot.core.due import DueItem
    from thenchot.notifications.jobs import send_reminders
    from thenchot.notifications.models import Notification
    from thenchot.notifications.testing import FakeDueSource, only_sources

    User = get_user_model()
    n_users, n_items = 200_000, 100_000
    if User.objects.count() < n_users:
        User.objects.bulk_create(
            [
                User(username=f"bench{i}", email=f"bench{i}@hanoi.gov.vn" if i % 3 else "")
                for i in range(n_users)
            ],
            batch_size=5000,
        )
    Notification.objects.all().delete()
    ids = list(User.objects.values_list("pk", flat=True)[:n_users])
    rng = random.Random(2026)
    on = dt.date(2026, 6, 30)
    items = [
        DueItem(
            model_label="directives.task",
            object_id=i,
            title=f"Nhiệm vụ {i}",
            due_on=on + dt.timedelta(days=rng.randint(-180, 180)),
            url=f"/directives/tasks/{i}/",
            recipients=(rng.choice(ids), rng.choice(ids)),
            escalate_to=(rng.choice(ids),),
        )
        for i in range(1, n_items + 1)
    ]
    source = FakeDueSource(policy_key="directives.task", open_items=items)
    with only_sources(source):
        for label in ("first run", "second run"):
            started = time.perf_counter()
            result = send_reminders(on=on)
            print(f"{label}: {time.perf_counter() - started:.1f} s {result}")


if __name__ == "__main__":
    main()
