from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed-demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_seed_organisations_and_one_user_per_role():
    output = _seed()
    codes = set(Organisation.objects.values_list("code", flat=True))
    assert {"TVAC", "AC-MOW", "MIRAMED", "PCC-SPB", "AO-AST", "IOM-MOW", "SH-KZN",
            "SH-PTZ", "SH-MMK", "SH-SPB-W", "SH-SPB-M", "SH-IKT", "SH-CHE", "SH-YAR",
            "SH-NNV"} <= codes
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="siteadmin").is_superuser
    assert "caseworker" in output
    assert "TOTP secret" in output


def test_seed_demo_twice_changes_nothing():
    first = _seed()
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    second = _seed()
    assert counts == (
        Organisation.objects.count(), User.objects.count(), Membership.objects.count()
    )
    assert first == second


def test_seed_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        _seed()
    assert not Organisation.objects.exists()


def test_orgs_lists_codes_and_names():
    _seed()
    out = StringIO()
    call_command("orgs", stdout=out)
    assert "TVAC" in out.getvalue()
    assert "Ангельская коалиция" in out.getvalue()
