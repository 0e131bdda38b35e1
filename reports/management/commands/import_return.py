"""python manage.py import_return FILE.xlsx [--dry-run] --user USERNAME"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.services import apply_return_workbook


class Command(BaseCommand):
    help = (
        "Check a filled-in quarterly return workbook, print every change (old → new) and "
        "problem, and apply all of it in one transaction unless --dry-run or any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only.")
        parser.add_argument(
            "--user", required=True, help="Who imports it; must be allowed to edit the partner."
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user '{options['user']}'.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        with path.open("rb") as handle:
            preview = apply_return_workbook(file=handle, user=user, dry_run=options["dry_run"])
        if preview.partner is not None:
            self.stdout.write(f"{preview.partner.name}, {preview.quarter_label}")
        for change in preview.changes:
            self.stdout.write(f"  {change}")
        if not preview.changes and preview.ok:
            self.stdout.write("  No changes.")
        if not preview.ok:
            for problem in preview.problems:
                self.stderr.write(f"  Problem: {problem}")
            raise CommandError(
                f"{len(preview.problems)} problem(s); nothing was saved. Fix them and try again."
            )
        if preview.applied:
            self.stdout.write(self.style.SUCCESS(f"Saved {len(preview.changes)} change(s)."))
        else:
            self.stdout.write("Dry run: nothing was saved.")
