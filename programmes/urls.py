from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("<slug:slug>/", views.programme_detail, name="programme_detail"),
]
