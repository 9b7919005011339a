"""Urgent cases: hotline operators open them (and only them) from a rescue
escalation; the case workers are told and find them first in their queue."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import selectors, services
from homeward.cases.choices import CaseStatus, TeamRole
from homeward.cases.models import Case, CaseAssignment
from homeward.cases.tests.factories import open_case
from homeward.cases.tests.test_views_intake import _intake_data

pytestmark = pytest.mark.django_db

CREATE = reverse("cases:case-create")
LIST = reverse("cases:case-list")


def _team(case):
    return {(a.user.username, a.role) for a in CaseAssignment.objects.filter(case=case)}


# --- who opens them ----------------------------------------------------------------


def test_hotline_operator_opens_an_urgent_case_without_leading_it(
    cast, django_capture_on_commit_callbacks,
):
    operator = cast.user(Role.HOTLINE_OPERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(cast, actor=operator, is_urgent=True)
    assert case.is_urgent
    assert case.case_owner is None
    assert _team(case) == {(operator.username, TeamRole.HOTLINE)}
    # On the team, the operator keeps seeing the case.
    assert selectors.case_get_for_user(user=operator, code=case.code) == case
    created = AuditEntry.objects.get(action=Action.CREATE, target_type="cases.Case",
                                     target_id=str(case.pk))
    assert (created.detail["kind"], created.detail["urgent"]) == ("Victim", True)
    assert "is_urgent" in created.fields
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([cast.user(Role.CASE_WORKER).email,
                                 cast.user(Role.COORDINATOR).email])
    message = mail.outbox[0]
    assert case.code in message.subject
    assert reverse("cases:case-detail", kwargs={"code": case.code}) in message.body
    assert case.person.last_name not in message.body


def test_hotline_operator_may_name_a_case_worker_as_lead(cast):
    operator, worker = cast.user(Role.HOTLINE_OPERATOR), cast.user(Role.CASE_WORKER)
    case = open_case(cast, actor=operator, is_urgent=True, case_owner=worker)
    assert case.case_owner == worker
    assert _team(case) == {(operator.username, TeamRole.HOTLINE),
                           (worker.username, TeamRole.CASE_WORKER)}


def test_hotline_operator_cannot_name_a_colleague_without_the_case_role_as_lead(cast):
    with pytest.raises(ValidationError):
        open_case(cast, actor=cast.user(Role.HOTLINE_OPERATOR), is_urgent=True,
                  case_owner=cast.user(Role.SHELTER_STAFF))
    assert not Case.objects.exists()


def test_hotline_operator_cannot_open_a_case_that_is_not_urgent(cast):
    with pytest.raises(ValidationError) as refused:
        open_case(cast, actor=cast.user(Role.HOTLINE_OPERATOR))
    assert "is_urgent" in refused.value.message_dict
    assert not Case.objects.exists()


def test_hotline_operator_cannot_open_in_another_organisation(cast):
    with pytest.raises(ValidationError):
        open_case(cast, actor=cast.user(Role.HOTLINE_OPERATOR, "away"), is_urgent=True)
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", [Role.SHELTER_STAFF, Role.RESEARCHER, Role.ORG_ADMIN])
def test_other_roles_cannot_open_urgent_cases_either(cast, role):
    with pytest.raises(ValidationError):
        open_case(cast, actor=cast.user(role), is_urgent=True)
    assert not Case.objects.exists()


def test_case_worker_opening_an_urgent_case_leads_it_and_tells_the_others(
    cast, django_capture_on_commit_callbacks,
):
    worker = cast.user(Role.CASE_WORKER)
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(cast, actor=worker, is_urgent=True)
    assert case.case_owner == worker
    assert _team(case) == {(worker.username, TeamRole.CASE_WORKER)}
    assert [m.to for m in mail.outbox] == [[cast.user(Role.COORDINATOR).email]]


def test_a_case_that_is_not_urgent_sends_no_mail(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_case(cast)
    assert mail.outbox == []


def test_urgency_can_be_changed_by_the_case_workers(cast):
    case = open_case(cast)
    updated = services.case_update(actor=cast.user(Role.CASE_WORKER), case=case,
                                   expected_version=case.version, is_urgent=True)
    assert updated.is_urgent
    assert AuditEntry.objects.filter(action=Action.UPDATE, target_id=str(case.pk),
                                     fields=["is_urgent"]).exists()


# --- the intake wizard ---------------------------------------------------------------


def test_wizard_lets_the_hotline_operator_in_and_forces_urgent(cast, login):
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    page = client.get(CREATE)
    assert page.status_code == 200
    body = page.content.decode()
    assert "you open urgent cases only" in body
    assert page.context["form"].fields["is_urgent"].disabled
    response = client.post(CREATE, _intake_data(cast))  # "urgent" not ticked
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_urgent
    assert case.case_owner is None


def test_wizard_lets_the_case_worker_choose(cast, login):
    client = login(cast.user(Role.CASE_WORKER))
    assert not client.get(CREATE).context["form"].fields["is_urgent"].disabled
    assert client.post(CREATE, _intake_data(cast)).status_code == 302
    response = client.post(CREATE, _intake_data(
        cast, is_urgent="on", first_name="Вера", last_name="Быстрова",
        first_name_latin="Vera", last_name_latin="Bystrova", phones="", document_kind_0="",
        document_number_0="",
    ))
    assert response.status_code == 302, response.context["form"].errors
    assert sorted(Case.objects.values_list("is_urgent", flat=True)) == [False, True]


def test_away_hotline_operator_cannot_open_in_home_through_the_wizard(cast, login):
    response = login(cast.user(Role.HOTLINE_OPERATOR, "away")).post(
        CREATE, _intake_data(cast)
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


# --- the case workers' queue ---------------------------------------------------------


def test_open_urgent_cases_come_first_with_a_badge(cast, login):
    today = timezone.localdate()
    newest = open_case(cast, opened_on=today)
    urgent = open_case(cast, opened_on=today - datetime.timedelta(days=10), is_urgent=True)
    closed_urgent = open_case(cast, opened_on=today - datetime.timedelta(days=5),
                              is_urgent=True)
    services.case_close(actor=cast.user(Role.CASE_WORKER), case=closed_urgent,
                        closed_on=today, reason="Returned home")
    body = login(cast.user(Role.CASE_WORKER)).get(LIST, {"status": ""}).content.decode()
    assert body.index(urgent.code) < body.index(newest.code) < body.index(closed_urgent.code)
    assert '<span class="badge badge-urgent">Urgent</span>' in body
    codes = [c.code for c in selectors.case_list_for_user(user=cast.user(Role.COORDINATOR))]
    assert codes == [urgent.code, newest.code, closed_urgent.code]


def test_urgent_only_filter(cast, login):
    plain, urgent = open_case(cast), open_case(cast, is_urgent=True)
    response = login(cast.user(Role.CASE_WORKER)).get(LIST, {"urgent": "on"})
    body = response.content.decode()
    assert urgent.code in body
    assert plain.code not in body
    assert "urgent=on" in response.context["query"]


def test_case_page_shows_the_urgent_badge(cast, login):
    case = open_case(cast, is_urgent=True)
    body = login(cast.user(Role.CASE_WORKER)).get(
        reverse("cases:case-detail", kwargs={"code": case.code})).content.decode()
    assert '<span class="badge badge-urgent">Urgent</span>' in body


def test_dashboard_counts_the_open_urgent_cases(cast, login):
    open_case(cast, is_urgent=True)
    open_case(cast)
    closed = open_case(cast, is_urgent=True)
    services.case_close(actor=cast.user(Role.CASE_WORKER), case=closed,
                        closed_on=timezone.localdate(), reason="Returned home")
    workload = selectors.case_workload_for_user(user=cast.user(Role.CASE_WORKER))
    assert workload is not None
    assert workload.urgent == 1
    body = login(cast.user(Role.CASE_WORKER)).get(reverse("accounts:dashboard")).content.decode()
    assert f'{LIST}?status=open&amp;urgent=on">1</a>' in body


def test_closed_cases_status_is_not_urgent_first(cast):
    case = open_case(cast, is_urgent=True)
    services.case_close(actor=cast.user(Role.CASE_WORKER), case=case,
                        closed_on=timezone.localdate(), reason="Returned home")
    assert Case.objects.get().status == CaseStatus.CLOSED
    assert not selectors.case_list_for_user(
        user=cast.user(Role.CASE_WORKER), filters=selectors.CaseFilters(urgent=True)
    ).exists()
