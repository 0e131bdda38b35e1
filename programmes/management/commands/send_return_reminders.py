"""Email partners' editors about quarterly returns due within a week or late."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from programmes.services import send_return_reminders


class Command(BaseCommand):
    help = (
        "Email the editors of each partner whose quarterly return is due within a week or late. "
        "Safe to run several times a day: each return is reminded about at most once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD), to catch up a missed day.",
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: '{date}' is not a date like 2019-07-25.") from error
        sent = send_return_reminders(today=today)
        for log in sent:
            addresses = len(log.recipients.splitlines())
            self.stdout.write(
                f"Reminded {log.partner} about {log.period}: {addresses} address(es)."
            )
        self.stdout.write(f"{len(sent)} reminder(s) sent.")
