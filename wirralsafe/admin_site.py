"""The admin site: titled for the product, its index grouped the way users think of the data."""

from django.contrib import admin

# Section name -> the models in it, as "app_label.ModelName", in the order shown. A model not
# listed here still appears, in an "Other" section, so nothing registered is ever hidden.
SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Programmes",
        [
            "programmes.Programme",
            "programmes.Activity",
            "programmes.ExpectedOutcome",
            "programmes.OutcomeStatement",
            "programmes.Allocation",
        ],
    ),
    (
        "Metrics and results",
        [
            "metrics.Metric",
            "metrics.Result",
            "metrics.Target",
            "metrics.Comparator",
            "programmes.Return",
        ],
    ),
    (
        "Reference data",
        [
            "programmes.Partner",
            "programmes.Theme",
            "programmes.FundingStream",
            "programmes.FinancialYear",
            "programmes.Period",
            "metrics.ComparatorArea",
        ],
    ),
    ("Users", ["auth.User", "auth.Group"]),
]


class WirralsafeAdminSite(admin.AdminSite):
    site_header = "wirralsafe — Wirral Community Safety Partnership"
    site_title = "wirralsafe"
    index_title = "Enter and manage figures, narratives and reference data"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            # An app's own page keeps Django's per-app list.
            return apps
        models = {
            f"{app['app_label']}.{model['object_name']}": (app, model)
            for app in apps
            for model in app["models"]
        }
        sections = []
        for title, labels in SECTIONS:
            entries = [models.pop(label) for label in labels if label in models]
            if entries:
                sections.append(self._section(title, entries))
        if models:
            sections.append(self._section("Other", list(models.values())))
        return sections

    @staticmethod
    def _section(title: str, entries: list) -> dict:
        first_app, first_model = entries[0]
        return {
            "name": title,
            "app_label": first_app["app_label"],
            # A section mixes apps, so its heading leads to its first list, not to an app page.
            "app_url": first_model.get("admin_url") or first_app["app_url"],
            "has_module_perms": True,
            "models": [model for _app, model in entries],
        }
