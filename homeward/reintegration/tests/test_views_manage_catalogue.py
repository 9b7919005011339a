"""The assistance catalogue, programmes and donors: every member reads
them; coordinators add and change kinds, add, reorder and remove eligibility rules
(shown as sentences, the standard cash rule as data), and add programmes
and donors. Bad input changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import totp_device
from homeward.reintegration.choices import (
    AssistanceCategory,
    RuleCondition,
    RuleMode,
)
from homeward.reintegration.models import AssistanceKind, Donor, EligibilityRule, Programme
from homeward.reintegration.tests.factories import make_kind, make_programme, standard_cash_kind

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("reintegration:catalogue")
PROGRAMMES = reverse("reintegration:programme-list")


def _url(name, pk):
    return reverse(f"reintegration:{name}", kwargs={"pk": pk})


def _kind_form(**values):
    data = {
        "code": "clothing", "category": AssistanceCategory.CLOTHING, "name_ru": "Одежда",
        "name_en": "Clothing", "description_ru": "", "description_en": "",
        "default_amount": "80", "currency": "EUR", "max_months": "",
    }
    data.update(values)
    return data


def _programme_form(donor, **values):
    data = {"code": "new-life", "name_ru": "Новая жизнь", "name_en": "New life",
            "donor": donor.pk, "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    data.update(values)
    return data


# --- who may ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    for url in (CATALOGUE, PROGRAMMES, reverse("reintegration:kind-new")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_every_member_reads_but_only_coordinators_change(cast, login):
    kind = standard_cash_kind()
    rule = kind.rules.order_by("position")[0]
    programme = make_programme()
    for user in (cast.user(Role.CASE_WORKER), cast.user(Role.ORG_ADMIN, "away")):
        client = login(user)
        assert client.get(CATALOGUE).status_code == 200
        assert client.get(PROGRAMMES).status_code == 200
        assert reverse("reintegration:kind-new") not in client.get(CATALOGUE).content.decode()
        assert client.post(reverse("reintegration:kind-new"), _kind_form()).status_code == 403
        assert client.post(_url("kind-edit", kind.pk), _kind_form()).status_code == 403
        assert client.post(_url("rule-new", kind.pk), {}).status_code == 403
        assert client.post(_url("rule-remove", rule.pk)).status_code == 403
        assert client.post(_url("rule-move", rule.pk), {"direction": "down"}).status_code == 403
        assert client.post(reverse("reintegration:programme-new"),
                           _programme_form(programme.donor)).status_code == 403
        assert client.post(_url("programme-edit", programme.pk), {}).status_code == 403
        assert client.post(reverse("reintegration:donor-new"),
                           {"name": "EU"}).status_code == 403
    assert not AssistanceKind.objects.filter(code="clothing").exists()
    assert EligibilityRule.objects.filter(pk=rule.pk).exists()
    assert kind.rules.order_by("position")[0] == rule
    assert not Donor.objects.filter(name="EU").exists()


def test_someone_who_is_no_member_gets_404_for_a_kind(cast, login):
    kind = make_kind()
    stranger = User.objects.create_user(username="stranger")
    totp_device(stranger)
    client = login(stranger)
    assert client.get(_url("kind-edit", kind.pk)).status_code == 404
    rule = standard_cash_kind().rules.order_by("position")[0]
    assert client.post(_url("rule-move", rule.pk), {"direction": "down"}).status_code == 404
    assert kind.name_en not in client.get(CATALOGUE).content.decode()


def test_pages_answer_405_to_other_methods(cast, login):
    rule = standard_cash_kind().rules.order_by("position")[0]
    client = login(cast.user(Role.COORDINATOR))
    assert client.post(CATALOGUE).status_code == 405
    assert client.post(PROGRAMMES).status_code == 405
    assert client.get(_url("rule-remove", rule.pk)).status_code == 405
    assert client.get(_url("rule-move", rule.pk)).status_code == 405


# --- the catalogue ---------------------------------------------------------------------


def test_catalogue_shows_the_standard_cash_rules_as_sentences(cast, login):
    standard_cash_kind()
    page = login(cast.user(Role.CASE_WORKER)).get(CATALOGUE).content.decode()
    assert "Citizens of Russia: 150 EUR (base)" in page
    assert "Everyone: 50 EUR (base)" in page
    assert "Mothers with small children: +350 EUR (supplement)" in page


def test_coordinator_adds_a_kind(cast, login):
    response = login(cast.user(Role.COORDINATOR)).post(reverse("reintegration:kind-new"),
                                                       _kind_form())
    assert response.status_code == 302
    kind = AssistanceKind.objects.get(code="clothing")
    assert (kind.name_en, kind.default_amount, kind.currency) == (
        "Clothing", Decimal("80"), "EUR")


def test_a_kind_with_a_negative_amount_is_refused(cast, login):
    response = login(cast.user(Role.COORDINATOR)).post(reverse("reintegration:kind-new"),
                                                       _kind_form(default_amount="-5"))
    assert response.status_code == 200
    assert response.context["form"].errors["default_amount"]
    assert not AssistanceKind.objects.filter(code="clothing").exists()


def test_coordinator_edits_a_kind_but_not_its_code(cast, login):
    kind = make_kind()
    client = login(cast.user(Role.COORDINATOR))
    assert client.get(_url("kind-edit", kind.pk)).context["form"].initial["name_en"] == \
        kind.name_en
    response = client.post(_url("kind-edit", kind.pk), _kind_form(
        code="changed", name_en="Vocational training", max_months="6",
    ))
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.name_en == "Vocational training"
    assert kind.max_months == 6
    assert kind.code != "changed"
    assert not kind.is_active  # the box was not ticked


def test_coordinator_adds_and_removes_rules(cast, login):
    kind = make_kind(default_amount=None)
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(_url("rule-new", kind.pk), {
        "condition": RuleCondition.NOT_CITIZEN_OF, "country": "RU",
        "mode": RuleMode.BASE, "amount": "50",
    })
    assert response.status_code == 302
    rule = kind.rules.get()
    assert (rule.condition, rule.country.code, rule.amount) == (
        RuleCondition.NOT_CITIZEN_OF, "RU", Decimal("50"))
    assert "Not citizens of Russia: 50 EUR (base)" in client.get(
        _url("kind-edit", kind.pk)).content.decode()
    response = client.post(_url("rule-remove", rule.pk))
    assert response.status_code == 302
    assert not kind.rules.exists()


def test_coordinator_moves_a_rule_up_and_down(cast, login):
    kind = standard_cash_kind()
    russians, everyone, mothers = kind.rules.order_by("position")
    client = login(cast.user(Role.COORDINATOR))
    page = client.get(CATALOGUE).content.decode()
    assert _url("rule-move", everyone.pk) in page
    response = client.post(_url("rule-move", everyone.pk), {"direction": "up"})
    assert response.status_code == 302
    assert list(kind.rules.order_by("position")) == [everyone, russians, mothers]
    client.post(_url("rule-move", everyone.pk), {"direction": "down"})
    assert list(kind.rules.order_by("position")) == [russians, everyone, mothers]


def test_a_move_without_a_direction_changes_nothing(cast, login):
    kind = standard_cash_kind()
    rules = list(kind.rules.order_by("position"))
    response = login(cast.user(Role.COORDINATOR)).post(
        _url("rule-move", rules[1].pk), {"direction": "sideways"}, follow=True)
    assert "Choose whether to move the rule up or down." in response.content.decode()
    assert list(kind.rules.order_by("position")) == rules


def test_a_citizenship_rule_without_a_country_is_refused(cast, login):
    kind = make_kind()
    response = login(cast.user(Role.COORDINATOR)).post(_url("rule-new", kind.pk), {
        "condition": RuleCondition.CITIZEN_OF, "country": "", "mode": RuleMode.BASE,
        "amount": "150",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["country"]
    assert not kind.rules.exists()


# --- programmes and donors ---------------------------------------------------------------


def test_coordinator_adds_a_donor_then_a_programme(cast, login):
    client = login(cast.user(Role.COORDINATOR))
    assert client.post(reverse("reintegration:donor-new"),
                       {"name": "European Union"}).status_code == 302
    donor = Donor.objects.get(name="European Union")
    response = client.post(reverse("reintegration:programme-new"), _programme_form(donor))
    assert response.status_code == 302
    programme = Programme.objects.get(code="new-life")
    assert programme.donor == donor
    page = client.get(PROGRAMMES).content.decode()
    assert "New life" in page
    assert "European Union" in page


def test_a_programme_ending_before_it_starts_is_refused(cast, login):
    donor = Donor.objects.create(name="EU")
    response = login(cast.user(Role.COORDINATOR)).post(
        reverse("reintegration:programme-new"),
        _programme_form(donor, starts_on="2026-05-01", ends_on="2026-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert not Programme.objects.exists()


def test_coordinator_edits_a_programme(cast, login):
    programme = make_programme()
    other = Donor.objects.create(name="UNICEF")
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(_url("programme-edit", programme.pk), _programme_form(
        other, name_en="Renamed", is_active="on"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.name_en, programme.donor, programme.is_active) == (
        "Renamed", other, True)


def test_pages_in_russian_show_the_russian_names(cast, login):
    kind = standard_cash_kind()
    programme = make_programme(name_en="New life", name_ru="Новая жизнь")
    coordinator = cast.user(Role.COORDINATOR)
    coordinator.language = "ru"
    coordinator.save()
    client = login(coordinator)
    for url in (CATALOGUE, PROGRAMMES, _url("kind-edit", kind.pk), _url("rule-new", kind.pk),
                _url("programme-edit", programme.pk), reverse("reintegration:kind-new"),
                reverse("reintegration:programme-new"), reverse("reintegration:donor-new")):
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="ru">' in response.content.decode()
    assert "Стандартная денежная помощь" in client.get(CATALOGUE).content.decode()
    assert "Новая жизнь" in client.get(PROGRAMMES).content.decode()
