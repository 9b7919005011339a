"""The demo reintegration data (reintegration/demo.py) and its place in
``seed-demo``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.demo import DemoRefused, seed_demo
from homeward.accounts.models import Membership, User
from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.cases.demo import seed_cases_demo
from homeward.cases.models import Case, Person
from homeward.cases.timeline import contributed_items
from homeward.directory.demo import seed_directory_demo
from homeward.directory.models import Entry
from homeward.reintegration.choices import (
    MINIMUM_PARTS,
    AnswerType,
    EntryType,
    MonitoringPeriod,
    QuestionnaireStatus,
    ReferralStatus,
    ReportStatus,
    RuleCondition,
    RuleMode,
)
from homeward.reintegration.demo import (
    KINDS,
    QUESTIONS,
    STANDARD_CASH,
    seed_reintegration_demo,
)
from homeward.reintegration.eligibility import eligible_amount
from homeward.reintegration.models import (
    Assessment,
    AssistanceKind,
    Donor,
    EligibilityRule,
    Goal,
    LedgerEntry,
    MonitoringReport,
    MonitoringSchedule,
    Plan,
    PlanReview,
    Programme,
    Question,
    Questionnaire,
    Referral,
)
from homeward.reintegration.selectors_assistance import ledger_totals

pytestmark = pytest.mark.django_db

COUNTED = (Questionnaire, Question, AssistanceKind, EligibilityRule, Donor, Programme,
           Referral, Assessment, Plan, Goal, PlanReview, LedgerEntry, MonitoringSchedule,
           MonitoringReport, Case, Entry, User, Membership, AuditEntry)


@pytest.fixture
def demo() -> None:
    seed_demo()
    seed_directory_demo()
    seed_cases_demo()
    seed_reintegration_demo()


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts["linked entries"] = Entry.objects.filter(organisation__isnull=False).count()
    return counts


def _person(citizenships: str, *, gender: str = "Feminine", children: int = 0) -> Person:
    return Person(citizenships=citizenships, gender=gender, children_accompanying=children)


def test_the_yaroslavl_logins_work_for_the_yaroslavl_safe_house(demo: None) -> None:
    assert Membership.objects.get(user__username="yaroslavl").role == Role.REINTEGRATION_WORKER
    assert Membership.objects.get(user__username="yarcoordinator").role == Role.COORDINATOR
    assert set(Membership.objects.filter(
        user__username__in=["yaroslavl", "yarcoordinator"]
    ).values_list("organisation__code", flat=True)) == {"SH-YAR"}


def test_directory_entries_describe_the_organisations_referrals_go_to(demo: None) -> None:
    linked = dict(Entry.objects.filter(organisation__isnull=False).values_list(
        "organisation__code", "name_en"))
    assert linked["TVAC"] == "Trafficking Victim Assistance Center (TVAC)"
    assert linked["AO-AST"] == "Angel Oratorium, Astrakhan"
    assert linked["SH-YAR"] == "Safe house, Yaroslavl"
    assert linked["IOM-MOW"] == "IOM Moscow"
    # One entry per organisation: the Rehabilitation Center stays a place only.
    assert Entry.objects.get(name_en="IOM Rehabilitation Center").organisation is None


def test_questionnaire_version_1_is_published_in_russian_and_english(demo: None) -> None:
    questionnaire = Questionnaire.objects.get()
    assert (questionnaire.version, questionnaire.status) == (1, QuestionnaireStatus.PUBLISHED)
    questions = list(questionnaire.questions.all())
    assert [q.key for q in questions] == [key for key, *_ in QUESTIONS]
    for question in questions:
        assert question.text_ru
        assert question.text_en
        if question.answer_type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE):
            assert len(question.options) >= 2
            assert all(option["ru"] and option["en"] for option in question.options)
    assert {q.answer_type for q in questions} == set(AnswerType.values)


def test_catalogue_holds_the_seed_kinds_and_the_standard_cash_rule_as_data(demo: None) -> None:
    assert set(AssistanceKind.objects.values_list("code", flat=True)) == {
        spec.code for spec in KINDS}
    new_life = AssistanceKind.objects.get(code="new-life-in-region")
    assert new_life.max_months == 6
    cash = AssistanceKind.objects.get(code=STANDARD_CASH)
    rules = list(cash.rules.values_list("condition", "country", "mode", "amount"))
    assert rules == [
        (RuleCondition.CITIZEN_OF, "RU", RuleMode.BASE, Decimal("150.00")),
        (RuleCondition.NOT_CITIZEN_OF, "RU", RuleMode.BASE, Decimal("50.00")),
        (RuleCondition.MOTHER_WITH_SMALL_CHILDREN, "", RuleMode.SUPPLEMENT, Decimal("350.00")),
    ]
    today = timezone.localdate()
    assert eligible_amount(kind=cash, person=_person("RU", gender="Masculine"),
                           on=today).amount == Decimal("150.00")
    assert eligible_amount(kind=cash, person=_person("UZ"), on=today).amount == Decimal("50.00")
    assert eligible_amount(kind=cash, person=_person("RU", children=2),
                           on=today).amount == Decimal("500.00")
    assert Programme.objects.filter(donor__name="European Commission").exists()


def test_the_astrakhan_journey_is_complete_and_invented(demo: None) -> None:
    referral = Referral.objects.get(receiver__code="AO-AST")
    assert (referral.sender.code, referral.status) == ("TVAC", ReferralStatus.ACCEPTED)
    assert set(MINIMUM_PARTS) <= set(referral.shared_parts)
    case = referral.case
    assert "Invented" in case.referral_details
    assert case.assessments.get().return_barriers
    plan = Plan.objects.get(case=case)
    assert plan.responsible_organisation.code == "AO-AST"
    assert plan.goals.count() == 5
    assert plan.reviews.count() == 3

    entries = list(LedgerEntry.objects.filter(case=case))
    assert {entry.entry_type for entry in entries} == set(EntryType.values)
    [totals] = ledger_totals(entries)
    assert (totals.currency, totals.granted, totals.paid) == (
        "EUR", Decimal("2000.00"), Decimal("2000.00"))  # 500 cash + 1200 + 350 - 50

    schedule = MonitoringSchedule.objects.get(case=case)
    assert (schedule.organisation.code, schedule.period) == ("AO-AST",
                                                            MonitoringPeriod.SIX_MONTHS)
    reports = list(schedule.reports.order_by("due_on"))
    assert [(r.months, r.status) for r in reports] == [
        (3, ReportStatus.SUBMITTED), (6, ReportStatus.DUE)]
    assert reports[1].due_on < timezone.localdate()  # overdue, for the coordinators' list

    caseworker = User.objects.get(username="caseworker")
    titles = [item.title for item in contributed_items(caseworker, case)]
    assert f"Monitoring report by {referral.receiver.name}" in titles


def test_a_referral_to_yaroslavl_waits_for_its_answer(demo: None) -> None:
    referral = Referral.objects.get(receiver__code="SH-YAR")
    assert referral.status == ReferralStatus.PENDING
    assert referral.sent_at.date() >= timezone.localdate() - datetime.timedelta(days=2)


def test_the_demo_pages_open_for_the_demo_logins(demo: None, login: Any) -> None:
    referral = Referral.objects.get(receiver__code="AO-AST")
    code = referral.case.code
    workspace = reverse("reintegration:case-reintegration", kwargs={"code": code})
    caseworker = login(User.objects.get(username="caseworker"))
    page = caseworker.get(workspace)
    assert page.status_code == 200
    assert "Angel Oratorium" in page.content.decode()
    partner = login(User.objects.get(username="reintegration"))
    assert partner.get(workspace).status_code == 200
    assert partner.get(reverse("reintegration:referral-detail",
                               kwargs={"pk": referral.pk})).status_code == 200
    yaroslavl = login(User.objects.get(username="yaroslavl"))
    waiting = Referral.objects.get(receiver__code="SH-YAR")
    inbox = yaroslavl.get(reverse("reintegration:referral-list") + "?box=in")
    assert waiting.case.code in inbox.content.decode()
    coordinator = login(User.objects.get(username="tvaccoordinator"))
    overdue = coordinator.get(reverse("reintegration:overdue"))
    assert code in overdue.content.decode()


def test_seed_demo_twice_changes_nothing() -> None:
    call_command("seed-demo", stdout=StringIO())
    before = _counts()
    assert before["Referral"] == 2
    call_command("seed-demo", stdout=StringIO())
    assert _counts() == before


def test_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        seed_reintegration_demo()
    assert not AssistanceKind.objects.exists()
