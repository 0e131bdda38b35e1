"""The role groups and their model permissions, so that no one sets them up by hand.

Permissions are normally created after all migrations have run; they are created here first
because the groups need them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from programmes.scoping import ROLE_GROUPS, Role

APPS = ["programmes", "metrics"]
# What each role may do beyond viewing every programmes and metrics model.
EXTRA = {
    Role.ADMINISTRATOR: "all",
    Role.APPROVER: [("programmes", "change_return")],
    Role.ANALYST: [],
    Role.COMMISSIONER: [],
    Role.PARTNER_EDITOR: [
        ("metrics", "add_result"),
        ("metrics", "change_result"),
        ("programmes", "add_outcomestatement"),
        ("programmes", "change_outcomestatement"),
    ],
}


def create_role_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label__in=APPS)
    viewing = ours.filter(codename__startswith="view_")
    for role, name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        extra = EXTRA[role]
        if extra == "all":
            # Administrators also manage users and groups.
            perms = Permission.objects.filter(content_type__app_label__in=[*APPS, "auth"])
        else:
            perms = list(viewing)
            for app_label, codename in extra:
                perms.append(ours.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
        ("metrics", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
