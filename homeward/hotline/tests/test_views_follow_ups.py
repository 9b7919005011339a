"""The follow-up queues: mine by default, everyone's on demand, per line and
per operator; overdue first (marked in words, not only in colour), then by
due date."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.hotline.tests.factories import log_contact, make_line

pytestmark = pytest.mark.django_db

QUEUE = reverse("hotline:follow-up-list")
LOGGERS = (Role.HOTLINE_OPERATOR, Role.COORDINATOR)


def _detail(contact):
    return reverse("hotline:contact-detail", kwargs={"pk": contact.pk})


def _due(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [r for r in Role.values if r not in LOGGERS])
def test_roles_that_log_no_contacts_get_403(cast, login, role):
    assert login(cast.user(role)).get(QUEUE).status_code == 403


def test_site_admin_gets_403_and_post_gets_405(cast, login):
    assert login(cast.site_admin).get(QUEUE).status_code == 403
    assert login(cast.user(Role.HOTLINE_OPERATOR)).post(QUEUE).status_code == 405


def test_queue_is_overdue_first_then_by_due_date(cast, login):
    later = log_contact(cast, follow_up_due=_due(5))
    soon = log_contact(cast, follow_up_due=_due(1))
    long_overdue = log_contact(cast, follow_up_due=_due(-1))
    log_contact(cast)  # no follow-up
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(QUEUE)
    body = response.content.decode()
    positions = [body.index(_detail(c)) for c in (long_overdue, soon, later)]
    assert positions == sorted(positions)
    rows = response.context["rows"]
    assert [row.overdue for row in rows] == [True, False, False]
    assert body.count('class="overdue"') == 1
    assert "Overdue" in body


def test_mine_by_default_everyone_on_demand(cast, login):
    operator = cast.user(Role.HOTLINE_OPERATOR)
    coordinator = cast.user(Role.COORDINATOR)
    mine = log_contact(cast, follow_up_due=_due(1))
    theirs = log_contact(cast, actor=coordinator, follow_up_due=_due(1))
    client = login(operator)
    body = client.get(QUEUE).content.decode()
    assert _detail(mine) in body
    assert _detail(theirs) not in body
    body = client.get(QUEUE, {"who": "all"}).content.decode()
    assert _detail(mine) in body
    assert _detail(theirs) in body
    body = client.get(QUEUE, {"who": "all", "assignee": coordinator.pk}).content.decode()
    assert _detail(mine) not in body
    assert _detail(theirs) in body


def test_queue_per_line(cast, login):
    line = make_line(cast)
    on_line = log_contact(cast, line=line, follow_up_due=_due(2))
    elsewhere = log_contact(cast, follow_up_due=_due(2))
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(
        QUEUE, {"who": "all", "line": line.pk}
    ).content.decode()
    assert _detail(on_line) in body
    assert _detail(elsewhere) not in body


def test_done_follow_ups_and_other_organisations_stay_out(cast, login):
    from homeward.hotline import services

    operator = cast.user(Role.HOTLINE_OPERATOR)
    done = log_contact(cast, follow_up_due=_due(-3))
    services.follow_up_done(actor=operator, contact=done)
    away = log_contact(cast, org="away", follow_up_due=_due(1))
    body = login(operator).get(QUEUE, {"who": "all"}).content.decode()
    assert _detail(done) not in body
    assert _detail(away) not in body
    assert "No open follow-ups." in body


def test_subnav_counts_my_open_and_overdue_follow_ups(cast, login):
    log_contact(cast, follow_up_due=_due(-2))
    log_contact(cast, follow_up_due=_due(2))
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(QUEUE).content.decode()
    assert '<span class="badge badge-count">2</span>' in body
    assert "1 overdue" in body


def test_dashboard_shows_hotline_follow_ups_to_operators_only(cast, login):
    log_contact(cast, follow_up_due=_due(-2))
    body = login(cast.user(Role.HOTLINE_OPERATOR)).get(
        reverse("accounts:dashboard")
    ).content.decode()
    assert "Hotline follow-ups" in body
    assert QUEUE in body


def test_dashboard_has_no_hotline_panel_for_case_workers(cast, login):
    body = login(cast.user(Role.CASE_WORKER)).get(
        reverse("accounts:dashboard")
    ).content.decode()
    assert "Hotline follow-ups" not in body
