"""python manage.py return_template --partner SLUG --quarter "2019/20 Q1" --output FILE.xlsx"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programmes.models import Partner
from reports import selectors
from reports.excel.return_template import write_return_workbook


class Command(BaseCommand):
    help = "Write a partner's pre-filled quarterly return workbook."

    def add_arguments(self, parser):
        parser.add_argument("--partner", required=True, help="The partner's short code.")
        parser.add_argument("--quarter", required=True, help='A quarter, such as "2019/20 Q1".')
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, **options):
        partner = Partner.objects.filter(slug=options["partner"]).first()
        if partner is None:
            raise CommandError(f"There is no partner with code '{options['partner']}'.")
        try:
            start_year, quarter = selectors.parse_quarter(options["quarter"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # The command line is trusted like an administrator.
        user = get_user_model()(username="manage.py", is_superuser=True, is_active=True)
        template = selectors.return_template(
            user=user, partner=partner, start_year=start_year, quarter=quarter
        )
        write_return_workbook(template, options["output"], generated_by="manage.py")
        self.stdout.write(
            f"Wrote {options['output']}: {len(template.metrics)} metrics and "
            f"{len(template.activities)} activities of {partner.name} for {template.label}."
        )
