"""python manage.py export_report --year 2018/19 [--stream SLUG] [--include-pending] --output F"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reports import selectors
from reports.excel.funding_report import write_funding_report


class Command(BaseCommand):
    help = "Write the commissioners' funding report for a financial year to an Excel file."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Financial year, such as 2018/19.")
        parser.add_argument("--stream", help="Short code of one funding stream (default: all).")
        parser.add_argument(
            "--include-pending",
            action="store_true",
            help="Include submitted figures not yet approved, marked as pending.",
        )
        parser.add_argument(
            "--user",
            help="Write the report as this user sees it (default: an administrator's view, "
            "approved figures only unless --include-pending).",
        )
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        try:
            report = selectors.funding_report(
                user=user,
                year_label=options["year"],
                stream_slug=options["stream"],
                include_pending=options["include_pending"],
            )
        except (LookupError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        with tqdm(
            total=len(report.metric_rows),
            desc="Metrics",
            unit="row",
            disable=options["verbosity"] < 1,
            file=self.stderr._out,
        ) as bar:
            write_funding_report(
                report,
                options["output"],
                generated_by=user.get_username() or "manage.py export_report",
                progress=bar.update,
            )
        self.stdout.write(
            f"Wrote {options['output']}: {len(report.metric_rows)} metrics, "
            f"{sum(len(s.rows) for s in report.sections)} activities."
        )

    def _user(self, username):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user '{username}'.")
            return user
        # The command line is trusted like an administrator: it sees every approved figure.
        return User(username="manage.py export_report", is_superuser=True, is_active=True)
