from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]

# The Excel pages (funding report, quarterly return workbooks).
from reports import export_views  # noqa: E402

urlpatterns += [
    path("reports/", export_views.report_index, name="report_index"),
    path(
        "reports/return-workbook/",
        export_views.return_template_download,
        name="return_template_download",
    ),
    path("reports/return-upload/", export_views.return_upload, name="return_upload"),
]
