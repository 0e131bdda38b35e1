from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self):
        from programmes.locks import refuse_cascaded_delete

        # Deleting a metric or an activity cascades to its results and narratives without
        # calling their delete(); the signal still fires for each, so the lock holds there too.
        pre_delete.connect(refuse_cascaded_delete, dispatch_uid="programmes_refuse_locked_delete")

        import programmes.admin_returns  # noqa: F401  registers Return with the admin
