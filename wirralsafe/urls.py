"""The project's URLs: the app pages, the admin and the login."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


@login_not_required
def favicon(request):
    # Resolved per request: with the manifest storage the hashed name exists only after
    # collectstatic, never at import time.
    return redirect(static("wirralsafe/favicon.svg"))


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Browsers ask for /favicon.ico on every page, the admin's included.
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("programmes/", include("programmes.urls")),
    path("metrics/", include("metrics.urls")),
    path("returns/", include("programmes.return_urls")),
]
