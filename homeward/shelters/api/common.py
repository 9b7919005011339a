"""What the shelter endpoints share: records through the access gate (404),
and the case as the shelter's side sees it.

A case is seen by its organisation's team (``cases.selectors``) and, for the
shelter side of the network (shelter staff, coordinators and medical staff of
the operating organisation), when the person was referred to or stayed in
one of their shelters — the standard package and the service log are
recorded from both sides.
"""

from __future__ import annotations

from rest_framework.request import Request

from homeward.accounts.models import User
from homeward.cases.api.common import request_user
from homeward.cases.models import Case
from homeward.shelters import selectors
from homeward.shelters.models import ShelterReferral, ShelterStay
from homeward.shelters.selectors_care import case_get_for_care


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
    shelter side of the person's shelter; 404 otherwise
    (:func:`homeward.shelters.selectors_care.case_get_for_care`)."""
    user = request_user(request)
    return user, case_get_for_care(user=user, code=code)
