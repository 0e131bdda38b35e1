from django.core.management.base import BaseCommand

from programmes.seed.loader import load_report


class Command(BaseCommand):
    help = (
        "Load the Wirral CSP report 'Wirral Neighbourhoods are Safe - Overview 2018/19': "
        "partners, programmes, activities, outcomes, metrics, results and comparators. "
        "Safe to run again: only what differs is written."
    )

    def handle(self, *args, **options):
        self.stdout.write("Loading Wirral Neighbourhoods are Safe - Overview 2018/19")
        load_report(stdout=self.stdout)
