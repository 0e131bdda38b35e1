from django.urls import path

from programmes import return_views

app_name = "returns"

urlpatterns = [
    path("", return_views.return_grid, name="grid"),
    path("start/", return_views.return_start, name="start"),
    path("<int:pk>/", return_views.return_detail, name="detail"),
    path("<int:pk>/<slug:action>/", return_views.return_transition, name="transition"),
]
