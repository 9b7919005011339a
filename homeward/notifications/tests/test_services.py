"""notify: once per user and key, e-mailed after commit in the recipient's
language with the case code and a link only; marking read."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from homeward.accounts.roles import Role
from homeward.notifications import kinds
from homeward.notifications.models import Notification
from homeward.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)

pytestmark = pytest.mark.django_db

PARAMS = {"code": "HOME-2026-0001", "organisation": "YAR partner NGO"}
URL = "/reintegration/referrals/1/"


def _with_email(user: Any, language: str = "") -> Any:
    user.email = f"{user.username.replace('@', '.')}@example.org"
    user.language = language
    user.save()
    return user


def test_notify_creates_one_per_user_and_key_however_often_called(cast: Any) -> None:
    users = [cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR)]
    assert notify(users=users, kind="referral.received", params=PARAMS, url=URL,
                  key="referral.received:1", organisation=cast.home) == 2
    assert notify(users=[*users, users[0]], kind="referral.received", params=PARAMS,
                  url=URL, key="referral.received:1") == 0
    assert Notification.objects.count() == 2
    note = Notification.objects.get(user=users[0])
    assert (note.kind, note.params, note.url, note.organisation) == (
        "referral.received", PARAMS, URL, cast.home
    )
    assert notify(users=users[:1], kind="referral.received", params=PARAMS, url=URL,
                  key="referral.received:2") == 1


def test_notify_skips_inactive_users_and_refuses_unknown_kinds(cast: Any) -> None:
    user = cast.user(Role.CASE_WORKER)
    user.is_active = False
    user.save()
    assert notify(users=[user], kind="referral.received", params=PARAMS, url=URL,
                  key="k") == 0
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(users=[cast.user(Role.COORDINATOR)], kind="nobody.knows", params={},
               url=URL, key="k")


def test_emails_go_after_commit_in_each_recipients_language(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    english = _with_email(cast.user(Role.CASE_WORKER), "en")
    russian = _with_email(cast.user(Role.COORDINATOR), "ru")
    silent = cast.user(Role.REINTEGRATION_WORKER)
    silent.email = ""  # no address: in-app only
    silent.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=[english, russian, silent], kind="monitoring.due_soon",
               params={"code": "HOME-2026-0001", "date": "2027-03-15"}, url=URL, key="k")
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {english.email, russian.email}
    assert by_address[english.email].subject == (
        "Monitoring report for case HOME-2026-0001 is due on March 15, 2027"
    )
    assert "15 марта 2027" in by_address[russian.email].subject
    for message in mail.outbox:
        assert "http://" in message.body
        assert URL in message.body
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert {n.user for n in emailed} == {english, russian}


def test_no_email_when_asked_not_to_or_when_the_transaction_rolls_back(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = _with_email(cast.user(Role.CASE_WORKER))
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], kind="referral.accepted", params=PARAMS, url=URL, key="a",
               email=False)

    def rolled_back() -> None:
        with transaction.atomic():
            notify(users=[user], kind="referral.accepted", params=PARAMS, url=URL, key="b")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        rolled_back()
    assert mail.outbox == []
    assert list(Notification.objects.values_list("key", flat=True)) == ["a"]


def test_every_kind_the_issue_needs_is_registered_and_worded() -> None:
    for name in (
        "referral.received", "referral.accepted", "referral.declined", "referral.revoked",
        "monitoring.due_soon", "monitoring.overdue", "monitoring.submitted",
        "monitoring.alert",
    ):
        text = kinds.title(name, {"code": "C-9", "organisation": "Org", "date": "2027-01-02"})
        assert "C-9" in text
        assert "%(" not in text
    assert kinds.title("gone.kind", {}) == "Notification"
    # Missing parameters read as empty, never an error.
    assert kinds.title("referral.received", {}) == "Case  was referred to you by "


def test_marking_read_is_for_the_recipient_only(cast: Any) -> None:
    mine, other = cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR)
    notify(users=[mine, other], kind="referral.declined", params=PARAMS, url=URL, key="d")
    notify(users=[mine], kind="referral.revoked", params=PARAMS, url=URL, key="r")
    note = Notification.objects.get(user=mine, key="d")
    with pytest.raises(PermissionDenied):
        notification_mark_read(actor=other, notification=note)
    notification_mark_read(actor=mine, notification=note)
    note.refresh_from_db()
    first = note.read_at
    assert first is not None
    notification_mark_read(actor=mine, notification=note)
    note.refresh_from_db()
    assert note.read_at == first
    assert notifications_mark_all_read(actor=mine) == 1
    assert notifications_mark_all_read(actor=mine) == 0
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1
