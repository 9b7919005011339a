"""The notifications pages and the header's unread count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.notifications.models import Notification
from homeward.notifications.services import notify

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
LIST = "/notifications/"


def _notify(user: Any, key: str, url: str = "/jobs/", kind: str = "referral.received") -> Any:
    notify(users=[user], kind=kind, params={"code": "HOME-2026-0007", "organisation": "YAR"},
           url=url, key=key, email=False)
    return Notification.objects.get(user=user, key=key)


def test_the_urls() -> None:
    assert reverse("notifications:list") == LIST
    assert reverse("notifications:read", kwargs={"pk": 3}) == "/notifications/3/read/"
    assert reverse("notifications:read-all") == "/notifications/read-all/"


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_the_list_shows_ones_own_notifications_translated(cast: Any, login: Login) -> None:
    user = cast.user(Role.CASE_WORKER)
    _notify(user, "a")
    _notify(cast.user(Role.COORDINATOR), "b", kind="monitoring.alert")
    client = login(user)
    page = client.get(LIST).content.decode()
    assert "Case HOME-2026-0007 was referred to you by YAR" in page
    assert "shows a risk" not in page  # the coordinator's
    assert "Mark all read" in page
    russian = client.get(LIST, HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 200


def test_the_header_shows_the_unread_count(cast: Any, login: Login) -> None:
    user = cast.user(Role.CASE_WORKER)
    client = login(user)
    page = client.get(LIST).content.decode()
    assert 'class="notifications-link"' in page
    assert "badge-count" not in page
    _notify(user, "a")
    _notify(user, "b")
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert '<span class="badge badge-count">2<span class="visually-hidden"> unread' in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    cast: Any, login: Login
) -> None:
    user = cast.user(Role.CASE_WORKER)
    note = _notify(user, "a", url="/jobs/")
    response = login(user).post(reverse("notifications:read", kwargs={"pk": note.pk}))
    assert (response.status_code, response["Location"]) == (302, "/jobs/")
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_link_elsewhere_is_not_followed(cast: Any, login: Login) -> None:
    user = cast.user(Role.CASE_WORKER)
    note = _notify(user, "a", url="https://evil.example/steal")
    response = login(user).post(reverse("notifications:read", kwargs={"pk": note.pk}))
    assert response["Location"] == LIST


def test_someone_elses_notification_is_not_found(cast: Any, login: Login) -> None:
    note = _notify(cast.user(Role.COORDINATOR), "a")
    url = reverse("notifications:read", kwargs={"pk": note.pk})
    for user in (cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR, "away"),
                 cast.site_admin):
        assert login(user).post(url).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_touches_only_ones_own(cast: Any, login: Login) -> None:
    user, other = cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR)
    _notify(user, "a")
    _notify(user, "b")
    _notify(other, "c")
    response = login(user).post(reverse("notifications:read-all"), follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


@pytest.mark.parametrize(("method", "name", "kwargs"), [
    ("post", "notifications:list", {}),
    ("get", "notifications:read", {"pk": 1}),
    ("get", "notifications:read-all", {}),
])
def test_wrong_method_is_405(
    cast: Any, login: Login, method: str, name: str, kwargs: dict[str, int]
) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    assert getattr(client, method)(reverse(name, kwargs=kwargs or None)).status_code == 405
