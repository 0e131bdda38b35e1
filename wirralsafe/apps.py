from django.contrib.admin.apps import AdminConfig


class WirralsafeAdminConfig(AdminConfig):
    """Django's admin, with wirralsafe's site in place of the default one."""

    default_site = "wirralsafe.admin_site.WirralsafeAdminSite"
