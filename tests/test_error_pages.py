"""Refusals say why, in the app's own layout."""

import pytest
from django.urls import reverse

from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_why(client):
    client.force_login(f.user(Role.COMMISSIONER))
    response = client.get(reverse("returns:grid"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "The returns page is for partners&#x27; editors, analysts and approvers." in page
    assert "Back to the dashboard" in page


def test_a_missing_page_is_explained_without_saying_whether_it_exists(client):
    client.force_login(f.user(Role.ANALYST))
    response = client.get("/metrics/no-such-metric/")
    assert response.status_code == 404
    assert "or it holds figures you may not see" in response.content.decode()
