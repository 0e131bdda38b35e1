"""The project's URLs: the app pages, the admin and the login."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("wirralsafe/favicon.svg"))),
        name="favicon",
    ),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("programmes/", include("programmes.urls")),
    path("metrics/", include("metrics.urls")),
    path("returns/", include("programmes.return_urls")),
]
