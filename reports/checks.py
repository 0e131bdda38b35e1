"""Start-up checks of the reports app."""

import importlib.util

from django.core.checks import Error, register


@register()
def defusedxml_installed(app_configs, **kwargs):
    """Uploaded workbooks are parsed by openpyxl, which refuses XML entity bombs only when
    defusedxml is installed; without it, an upload could exhaust the server's memory."""
    if importlib.util.find_spec("defusedxml") is None:
        return [
            Error(
                "defusedxml is not installed, so uploaded workbooks could carry XML bombs.",
                hint="pip install defusedxml (it is in pyproject.toml's dependencies).",
                id="reports.E001",
            )
        ]
    return []
