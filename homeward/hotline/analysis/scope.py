"""Whose contacts an analysis counts.

The analysis is for the roles holding ``HOTLINE_ANALYSE`` (coordinators and
researchers) and counts the contacts of the organisations where the user
holds such a role — all of them, or one chosen, optionally one line. It
reads only the columns it counts (never a name, phone or note, nothing
encrypted), so it bypasses the contact access gate, which is about seeing
contacts one by one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import QuerySet

from homeward.accounts.models import Membership, Organisation
from homeward.accounts.roles import Capability, roles_with
from homeward.hotline.models import Contact, Line

ANALYSE_ROLES = roles_with(Capability.HOTLINE_ANALYSE)


def analysis_organisations(user: Any) -> QuerySet[Organisation]:
    """The active organisations where ``user`` holds a role that analyses the hotline."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(
            user=user, is_active=True, organisation__is_active=True, role__in=ANALYSE_ROLES
        ).values("organisation_id")
    ).order_by("code")


def analysis_lines(organisations: QuerySet[Organisation]) -> QuerySet[Line]:
    """The lines of those organisations (the line filter's choices)."""
    return Line.objects.filter(organisation__in=organisations).order_by(
        "organisation__code", "label_en"
    )


@dataclasses.dataclass(frozen=True)
class Scope:
    """The contacts counted: of ``organisations``, on ``line`` when given."""

    organisations: tuple[Organisation, ...]
    line: Line | None = None

    def contacts(self) -> QuerySet[Contact]:
        contacts = Contact.objects.filter(organisation__in=[org.pk for org in self.organisations])
        if self.line is not None:
            contacts = contacts.filter(line=self.line)
        return contacts.order_by()

    @property
    def label(self) -> str:
        names = ", ".join(org.code for org in self.organisations)
        return f"{names} / {self.line.label}" if self.line is not None else names
