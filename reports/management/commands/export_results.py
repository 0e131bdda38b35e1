"""python manage.py export_results --output FILE.xlsx [--include-pending] [--user NAME]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reports import selectors
from reports.excel.results_export import write_results


class Command(BaseCommand):
    help = "Write every result of every financial year to one Excel sheet, streamed."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")
        parser.add_argument(
            "--include-pending",
            action="store_true",
            help="Include submitted figures not yet approved, marked as pending.",
        )
        parser.add_argument(
            "--user",
            help="Write the results as this user may see them (default: an administrator's "
            "view, approved figures only unless --include-pending).",
        )

    def handle(self, *args, **options):
        user = self._user(options["user"])
        pending = options["include_pending"]
        total = selectors.result_export_count(user, include_pending=pending)
        with tqdm(
            total=total,
            desc="Results",
            unit="row",
            disable=options["verbosity"] < 1,
            file=self.stderr._out,
        ) as bar:
            count = write_results(
                selectors.result_export_rows(user, include_pending=pending),
                options["output"],
                progress=bar.update,
            )
        self.stdout.write(f"Wrote {options['output']}: {count:,} results.")

    def _user(self, username):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user '{username}'.")
            return user
        # The command line is trusted like an administrator: it sees every approved figure.
        return User(username="manage.py export_results", is_superuser=True, is_active=True)
