"""Access expectations of a case's tabs and the forms that add to them.

Every record belongs to a HOME case nobody is assigned to: its managers
(case workers, coordinators) may open it; the team roles of HOME cannot see
it (404, like AWAY and the site administrator). The medical tab is only for
the case worker among them: the coordinator sees the case but not the tab
(403) — :class:`ExpectPerRole` says so.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases import services
from homeward.cases.choices import (
    ConsentDecision,
    ConsentForm,
    ConsentPurpose,
    EventType,
    ProceedingRole,
    ProceedingStage,
    TravelDocumentStatus,
)
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect

MANAGERS = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
MEDICAL = frozenset({Role.CASE_WORKER})
PDF = b"%PDF-1.4\n% access matrix consent scan\n%%EOF\n"


@dataclasses.dataclass(frozen=True)
class ExpectPerRole(Expect):
    """An :class:`Expect` whose HOME roles outside ``allowed`` do not all get
    the same answer: ``per_role`` names the exceptions."""

    per_role: tuple[tuple[str, str], ...] = ()

    def expected_for(self, role: str, *, same_organisation: bool) -> str:
        if same_organisation and role in dict(self.per_role):
            return dict(self.per_role)[role]
        return super().expected_for(role, same_organisation=same_organisation)


def _case(cast: Any) -> Case:
    return open_case(cast, cast.user(Role.CASE_WORKER))


def _code(cast: Any) -> dict[str, Any]:
    return {"code": _case(cast).code}


def _event(cast: Any) -> dict[str, Any]:
    case = _case(cast)
    event = services.event_create(
        actor=cast.user(Role.CASE_WORKER), case=case, type=EventType.RECRUITMENT,
        country="TR", city="Istanbul",
    )
    return {"code": case.code, "pk": event.pk}


def _repatriation(cast: Any) -> dict[str, Any]:
    case = _case(cast)
    actor = cast.user(Role.CASE_WORKER)
    give_consent(case, actor)
    repatriation = services.repatriation_record(
        actor=actor, case=case, document_status=TravelDocumentStatus.APPLIED,
        arrival_place="Sheremetyevo airport",
    )
    return {"code": case.code, "pk": repatriation.pk}


def _proceeding(cast: Any) -> dict[str, Any]:
    case = _case(cast)
    proceeding = services.proceeding_create(
        actor=cast.user(Role.CASE_WORKER), case=case, jurisdiction="TR", article="127.1",
        stage=ProceedingStage.INVESTIGATION, person_role=ProceedingRole.VICTIM,
    )
    return {"code": case.code, "pk": proceeding.pk}


def _consent_with_scan(cast: Any) -> dict[str, Any]:
    case = _case(cast)
    consent = services.consent_record(
        actor=cast.user(Role.CASE_WORKER), case=case, purpose=ConsentPurpose.ASSISTANCE,
        decision=ConsentDecision.GIVEN, decided_on=timezone.localdate()
        - datetime.timedelta(days=1), form=ConsentForm.SIGNED,
        scan=SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf"),
    )
    return {"code": case.code, "pk": consent.pk}


def _case_expect(name: str, kwargs: Any, **extra: Any) -> Expect:
    return Expect(name, kwargs=kwargs, allowed=MANAGERS, scoped=True, others=NOT_FOUND,
                  site_admin=NOT_FOUND, **extra)


def _medical_expect(name: str) -> Expect:
    return ExpectPerRole(
        name, kwargs=_code, allowed=MEDICAL, scoped=True, others=NOT_FOUND,
        site_admin=NOT_FOUND, per_role=((Role.COORDINATOR, FORBIDDEN),),
    )


EXPECTATIONS: list[Expect] = [
    _case_expect("cases:case-story", _code),
    _case_expect("cases:event-create", _code),
    _case_expect("cases:event-edit", _event),
    # GET asks to confirm; the POST is tested in test_views_records_story.py.
    _case_expect("cases:event-delete", _event),
    _case_expect("cases:case-rescue", _code),
    _case_expect("cases:rescue-create", _code),
    _case_expect("cases:case-repatriation", _code),
    _case_expect("cases:repatriation-create", _code),
    _case_expect("cases:repatriation-edit", _repatriation),
    _case_expect("cases:move-create", _code),
    _medical_expect("cases:case-medical"),
    _medical_expect("cases:medical-create"),
    _case_expect("cases:guardian-create", _code),
    _case_expect("cases:case-justice", _code),
    _case_expect("cases:proceeding-create", _code),
    _case_expect("cases:proceeding-edit", _proceeding),
    _case_expect("cases:case-consents", _code),
    _case_expect("cases:consent-create", _code, query="purpose=Medical"),
    _case_expect("cases:consent-scan", _consent_with_scan),
]
