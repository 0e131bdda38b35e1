from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("<slug:slug>/", views.programme_detail, name="programme_detail"),
]
