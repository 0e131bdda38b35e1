from django.urls import path

from reports import export_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # The Excel pages: the funding report and the partners' quarterly workbooks.
    path("reports/", export_views.report_index, name="report_index"),
    path(
        "reports/return-workbook/",
        export_views.return_template_download,
        name="return_template_download",
    ),
    path("reports/return-upload/", export_views.return_upload, name="return_upload"),
]
