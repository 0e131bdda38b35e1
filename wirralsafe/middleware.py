"""Middleware of the whole site."""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait; a restarted PostgreSQL is usually back within this.
RETRY_AFTER_SECONDS = 30
_MARK = "_wirralsafe_database_error"


def _remember_database_error(sender, request=None, **kwargs):
    # Django turns an exception raised inside another middleware (the session lookup behind
    # request.user, for one) into a 500 page before it reaches us, and only this signal sees
    # the exception itself; note it on the request so that the middleware can replace the page.
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        setattr(request, _MARK, exc)


got_request_exception.connect(_remember_database_error, dispatch_uid="wirralsafe-database-down")


class DatabaseUnavailableMiddleware:
    """When the database is down or drops a connection, answer 503 with a plain page.

    Users then see "service unavailable", never a traceback, and the broken connection is
    closed so that the next request opens a fresh one. Place it near the top of MIDDLEWARE, so
    that it covers the session and authentication middleware too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as exc:
            return self.unavailable(request, exc)
        exc = getattr(request, _MARK, None)
        if exc is not None and response.status_code >= 500:
            return self.unavailable(request, exc)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request, exc: Exception) -> HttpResponse:
        logger.error(
            "Database unavailable while serving %s %s: %s",
            request.method,
            request.path,
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
        )
        for connection in connections.all(initialized_only=True):
            # Outside a transaction, drop a connection that no longer works (Django would at
            # the end of the request too); inside one, closing would lose the caller's work.
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
        # Rendered without the request, so that no context processor can touch the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
