"""The contact form's validation, as an operator meets it on the page: a bad
phone, an end before the start, an unknown country each give a clear message
on the field, in the operator's language, and nothing is saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from homeward.accounts.roles import Role
from homeward.hotline.forms_contacts import CountryTextField, country_from_text
from homeward.hotline.models import Contact
from homeward.hotline.tests.factories import make_line
from homeward.hotline.tests.test_views_contacts import _data

pytestmark = pytest.mark.django_db

CREATE = reverse("hotline:contact-create")


def _post(cast, login, language="en", **values):
    line = make_line(cast)
    operator = cast.user(Role.HOTLINE_OPERATOR)
    operator.language = language
    operator.save()
    client = login(operator)
    response = client.post(CREATE, _data(line, **values), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.context["form"], response.content.decode()


@pytest.mark.parametrize(
    "text", ["TR", "tr", "TUR", "Türkiye", "Turkey", "turkey", "Турция", " турция "]
)
def test_country_is_read_from_a_code_or_an_english_or_russian_name(text):
    assert country_from_text(text) == "TR"


def test_an_unknown_country_is_none_and_nothing_typed_is_empty():
    assert country_from_text("Narnia") is None
    assert country_from_text("  ") == ""


def test_a_known_code_is_shown_as_the_name_in_the_active_language():
    field = CountryTextField()
    with translation.override("ru"):
        assert field.prepare_value("TR") == "Турция"
    with translation.override("en"):
        assert field.prepare_value("TR") == "Türkiye"
    assert field.prepare_value("Narnia") == "Narnia"


def test_unknown_country_gives_a_clear_message_and_saves_nothing(cast, login):
    form, body = _post(cast, login, concern_country="Narnia")
    assert form.errors["concern_country"] == [
        "“Narnia” is not a country we know. Choose one from the list."
    ]
    assert "“Narnia” is not a country we know." in body
    assert not Contact.objects.exists()


def test_unknown_country_is_refused_in_russian_too(cast, login):
    form, _body = _post(cast, login, language="ru", caller_country="Нарния")
    assert "caller_country" in form.errors
    assert "Нарния" in form.errors["caller_country"][0]
    assert not Contact.objects.exists()


def test_bad_phone_is_refused_on_the_field_and_nothing_is_saved(cast, login):
    form, body = _post(cast, login, caller_phone="12")
    assert "caller_phone" in form.errors
    assert "not a valid phone number" in form.errors["caller_phone"][0] or (
        "not a phone number" in form.errors["caller_phone"][0]
    )
    assert 'href="#id_caller_phone"' in body
    assert not Contact.objects.exists()


def test_bad_phone_is_refused_in_russian(cast, login):
    form, _body = _post(cast, login, language="ru", caller_phone="abc")
    assert "caller_phone" in form.errors
    assert not Contact.objects.exists()


def test_end_before_start_is_refused_and_nothing_is_saved(cast, login):
    start = timezone.localtime().replace(microsecond=0)
    form, body = _post(
        cast, login, started_at=start.strftime("%Y-%m-%dT%H:%M:%S"),
        ended_at=(start - datetime.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%S"),
    )
    assert form.errors["ended_at"] == ["The end is before the start."]
    assert 'href="#id_ended_at"' in body
    assert not Contact.objects.exists()


def test_end_before_start_is_refused_in_russian(cast, login):
    start = timezone.localtime().replace(microsecond=0)
    form, _body = _post(
        cast, login, language="ru", started_at=start.strftime("%Y-%m-%dT%H:%M"),
        ended_at=(start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert "ended_at" in form.errors
    assert not Contact.objects.exists()


def test_the_start_is_required(cast, login):
    form, _body = _post(cast, login, started_at="")
    assert "started_at" in form.errors
    assert not Contact.objects.exists()


def test_a_follow_up_for_someone_outside_the_hotline_is_refused(cast, login):
    outsider = cast.user(Role.CASE_WORKER)
    form, _body = _post(
        cast, login, follow_up_due=timezone.localdate().isoformat(),
        follow_up_assignee=str(outsider.pk),
    )
    assert "follow_up_assignee" in form.errors
    assert not Contact.objects.exists()
