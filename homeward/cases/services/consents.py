"""Consents: recorded per purpose, checked by the services that need them.

A consent record is never changed: a new decision (given, refused,
withdrawn) is a new record, and the newest one is in force. A scan of a
signed form is encrypted at rest (:class:`~homeward.cases.models.ConsentScan`)
and only ever read back through :func:`consent_scan_read`, which audits the
read.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action
from homeward.cases import selectors
from homeward.cases.choices import (
    GUARDIAN_CONSENTERS,
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
)
from homeward.cases.errors import ConsentRequired
from homeward.cases.models import Case, Consent, ConsentScan
from homeward.cases.services._common import audit, clean, not_before, not_in_future

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_TYPES = {  # magic bytes → (content type, extension)
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}

REFUSAL_MESSAGES = {
    ConsentPurpose.ASSISTANCE: gettext_lazy("This needs the person's consent to assistance."),
    ConsentPurpose.DATA_SHARING: gettext_lazy(
        "The person has not agreed to share data with this organisation."
    ),
    ConsentPurpose.MEDICAL: gettext_lazy(
        "This needs consent to medical examination and treatment."
    ),
    ConsentPurpose.STATISTICS: gettext_lazy(
        "The person has not agreed to be counted in statistics."
    ),
    ConsentPurpose.PHONE_CONTACT: gettext_lazy(
        "The person has not agreed to be contacted by phone."
    ),
}


def _read_upload(scan: Any) -> tuple[bytes, str]:
    size = getattr(scan, "size", None)
    if size is not None and size > MAX_SCAN_BYTES:
        raise ValidationError({"scan": _("The scan is larger than 10 MB.")})
    content = scan.read(MAX_SCAN_BYTES + 1)
    if len(content) > MAX_SCAN_BYTES:
        raise ValidationError({"scan": _("The scan is larger than 10 MB.")})
    for magic, (content_type, _extension) in SCAN_TYPES.items():
        if content.startswith(magic):
            return content, content_type
    raise ValidationError({"scan": _("Upload the scan as a PDF, JPEG or PNG file.")})


def minor_on(case: Case, day: datetime.date) -> bool:
    return case.person.is_minor_on(day)


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    purpose: str,
    decision: str,
    decided_on: datetime.date,
    form: str,
    given_by: str = ConsentGivenBy.PERSON,
    organisation: Organisation | None = None,
    given_by_name: str = "",
    notes: str = "",
    scan: Any = None,
) -> Consent:
    """Record a decision about ``purpose``.

    Sharing data names the organisation it is shared with. For a minor,
    consent to medical care comes from a parent, guardian or the social
    support department, never from the child alone.
    """
    if purpose == ConsentPurpose.DATA_SHARING and organisation is None:
        raise ValidationError(
            {"organisation": _("Name the organisation the data may be shared with.")}
        )
    if purpose != ConsentPurpose.DATA_SHARING and organisation is not None:
        organisation = None
    not_in_future(decided_on, "decided_on")
    if (
        purpose == ConsentPurpose.MEDICAL and decision == ConsentDecision.GIVEN
        and given_by not in GUARDIAN_CONSENTERS and minor_on(case, decided_on)
    ):
        raise ValidationError(
            {"given_by": _("The person is a minor: consent to medical care must come from a "
                           "parent, a guardian or the city's social support department.")}
        )
    if given_by != ConsentGivenBy.PERSON and not given_by_name.strip():
        raise ValidationError(
            {"given_by_name": _("Give the name of who consented for the person.")}
        )
    if scan is not None and form != ConsentForm.SIGNED:
        raise ValidationError({"scan": _("Only a signed consent has a scan.")})
    consent = Consent(
        case=case, purpose=purpose, decision=decision, decided_on=decided_on, form=form,
        given_by=given_by, organisation=organisation, given_by_name=given_by_name.strip(),
        notes=notes.strip(), recorded_by=actor,
    )
    clean(consent, exclude=["case", "recorded_by"])
    not_before(decided_on, case.person.birth_date, "decided_on")
    content, content_type = _read_upload(scan) if scan is not None else (b"", "")
    consent.scan_content_type = content_type
    consent.save()
    if scan is not None:
        ConsentScan.objects.create(
            consent=consent, content=base64.b64encode(content).decode("ascii")
        )
    audit(
        action=Action.CONSENT_RECORDED, actor=actor, case=case, target=consent,
        fields=["purpose", "decision", *(["scan"] if scan is not None else [])],
        detail={"purpose": purpose, "decision": decision},
    )
    return consent


@transaction.atomic
def consent_scan_read(*, actor: User, consent: Consent) -> tuple[bytes, str, str]:
    """The decrypted scan (bytes, content type, a download name); audited."""
    scan = ConsentScan.objects.filter(consent=consent).first()
    if scan is None:
        raise ValidationError(_("This consent has no scan."))
    content = base64.b64decode(scan.content)
    audit(action=Action.VIEW, actor=actor, case=consent.case, target=consent,
          fields=["scan"])
    extension = next(
        (ext for ctype, ext in SCAN_TYPES.values() if ctype == consent.scan_content_type), ""
    )
    filename = f"{consent.case.code}-consent-{consent.pk}{extension}"
    return content, consent.scan_content_type, filename


def require_consent(
    *, case: Case, purpose: str, organisation: Organisation | None = None
) -> None:
    """:class:`ConsentRequired` unless the consent in force for ``purpose``
    is given."""
    if not selectors.consent_given(case=case, purpose=purpose, organisation=organisation):
        raise ConsentRequired(str(REFUSAL_MESSAGES[ConsentPurpose(purpose)]))


def medical_unlocked(case: Case) -> bool:
    """Medical examinations may be recorded without an emergency override:
    consent to medical care is given — for a minor, by a parent, guardian or
    the social support department."""
    consent = selectors.consent_in_force(case=case, purpose=ConsentPurpose.MEDICAL)
    if consent is None or consent.decision != ConsentDecision.GIVEN:
        return False
    if case.person.is_minor_on(timezone.localdate()):
        return consent.given_by in GUARDIAN_CONSENTERS
    return True
