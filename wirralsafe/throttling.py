"""Login throttling with django-axes: whose address counts, and the backend the site uses."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings


def client_ip(request) -> str:
    """The address to throttle: the TCP peer, unless a trusted proxy count is configured.

    X-Forwarded-For is written by the client as much as by any proxy, so trusting it lets an
    attacker pick a fresh address per attempt and never be locked out. Only when the deployment
    declares how many proxies of its own append to the header (TRUSTED_PROXY_COUNT) is the entry
    that the outermost of them added used; anything further left was written by the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    return hops[-count] if len(hops) >= count else remote


class RequestAxesBackend(AxesStandaloneBackend):
    """Axes' check for every login that comes with a request (the login page, the admin's).

    Axes refuses calls without a request outright; code that authenticates without one (the
    test client's login(), a shell) is not a web login to throttle, so it is left to the next
    backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
