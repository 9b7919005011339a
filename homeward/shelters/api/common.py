"""What the shelter endpoints share: records through the access gate (404),
and the case as the shelter's side sees it.

A case is seen by its organisation's team (``cases.selectors``) and, for the
shelter side of the network (shelter staff, coordinators and medical staff of
the operating organisation), when the person was referred to or stayed in
one of their shelters — the standard package and the service log are
recorded from both sides.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from homeward.accounts.models import User
from homeward.cases.api.common import request_user
from homeward.cases.models import Case
from homeward.core import access
from homeward.shelters import selectors
from homeward.shelters.models import ShelterReferral, ShelterStay


def referral_for(request: Request, pk: int) -> tuple[User, ShelterReferral]:
    """The referral if the caller sees it (the case's team or the shelter's side), else 404."""
    user = request_user(request)
    return user, selectors.referral_get_for_user(user=user, pk=pk)


def stay_for(request: Request, pk: int) -> tuple[User, ShelterStay]:
    """The stay if the caller sees it (the case's team or the shelter's side), else 404."""
    user = request_user(request)
    return user, selectors.stay_get_for_user(user=user, pk=pk)


def case_for_care(request: Request, code: str) -> tuple[User, Case]:
    """The case by code if the caller sees it through the case gate or as the
    shelter side of the person's shelter; 404 otherwise (the same answer for
    missing and not yours)."""
    user = request_user(request)
    visible = Case.objects.filter(
        Q(pk__in=access.for_user(user, Case).values("pk"))
        | Q(pk__in=selectors.resident_case_ids(user))
    )
    case = visible.select_related("person", "organisation").filter(code=code).first()
    if case is None:
        raise Http404
    return user, case


def require(allowed: bool) -> None:
    """403 (called after the gate found the record, so only for those who see it)."""
    if not allowed:
        raise PermissionDenied
