from django.urls import path

from metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.MetricListView.as_view(), name="metric_list"),
    path("<slug:slug>/", views.metric_detail, name="metric_detail"),
]
