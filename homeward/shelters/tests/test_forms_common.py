"""Children's ages, the same on every form that asks for them (placement
search, referral, waiting list, admission): typed the way people say them,
kept in months."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from homeward.shelters.forms_common import ChildrenAgesField, format_ages


@pytest.mark.parametrize(("text", "months"), [
    ("6 months, 4 years", (6, 48)),
    ("1.5 years", (18,)),
    ("3", (36,)),
    ("8 мес., 3 года", (8, 36)),
    ("10 m; 2y", (10, 24)),
    ("", ()),
])
def test_reads_children_s_ages_the_way_people_write_them(text, months):
    assert ChildrenAgesField().clean(text) == months


@pytest.mark.parametrize("text", ["baby", "18 years", "5 weeks"])
def test_refuses_what_is_not_a_child_s_age(text):
    with pytest.raises(ValidationError):
        ChildrenAgesField().clean(text)


def test_ages_are_written_back_as_they_are_read():
    assert format_ages([6, 48, 18]) == "6 months, 4 years, 18 months"
    assert ChildrenAgesField().clean(format_ages([6, 48, 18])) == (6, 48, 18)
