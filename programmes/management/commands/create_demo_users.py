from django.core.management.base import BaseCommand

from programmes.user_services import create_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role, and editors of two partners, and print their logins."

    def handle(self, *args, **options):
        users = create_demo_users()
        self.stdout.write("Demo users (for trying wirralsafe out; never use them in production):")
        for demo in users:
            role = demo.role.value.replace("_", " ")
            where = f" for {demo.partner}" if demo.partner else ""
            self.stdout.write(f"  {demo.username:<32} password {demo.password:<42} {role}{where}")
