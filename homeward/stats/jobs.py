"""The statistics app's background jobs (autodiscovered by the worker):
the statistical abstract, the CTDC import and the HTCDS import."""

from __future__ import annotations

# --- the CTDC import (helper OTHER) ---------------------------------------------------
from collections.abc import Mapping as _CtdcMapping

from django.utils.translation import gettext_lazy as _ctdc_lazy
from django.utils.translation import gettext_noop as _ctdc_noop

from homeward.accounts.models import Organisation as _CtdcOrganisation
from homeward.accounts.models import User as _CtdcUser
from homeward.directory import exchange as _ctdc_uploads
from homeward.jobs.models import Job as _CtdcJob
from homeward.jobs.registry import JobError as _CtdcJobError
from homeward.jobs.registry import Report as _CtdcReport
from homeward.jobs.registry import job as _ctdc_job
from homeward.jobs.services import job_enqueue as _ctdc_enqueue

CTDC_IMPORT = "stats.ctdc_import"


def ctdc_import_enqueue(
    *, token: str, source_name: str, label: str, actor: _CtdcUser,
    organisation: _CtdcOrganisation | None = None,
) -> _CtdcJob:
    """Queue the import of a checked CTDC upload (kept under ``token``)."""
    return _ctdc_enqueue(
        kind=CTDC_IMPORT,
        params={"token": token, "source_name": source_name[:255], "label": label[:200]},
        actor=actor, organisation=organisation,
    )


@_ctdc_job(
    CTDC_IMPORT,
    title=_ctdc_lazy("CTDC reference data import"),
    results={"rows": _ctdc_lazy("Rows imported")},
    next_url="stats:reference",
)
def ctdc_import_job(job: _CtdcJob, report: _CtdcReport) -> _CtdcMapping[str, int]:
    """Import the stored CTDC file in one transaction (all or nothing); the
    stored file is deleted in every case."""
    from homeward.stats import ctdc
    from homeward.stats.scope import may_publish

    token = str(job.params.get("token", ""))
    try:
        actor = (_CtdcUser.objects.filter(pk=job.created_by_id).first()
                 if job.created_by_id is not None else None)
        if actor is None or not actor.is_active or not may_publish(actor):
            raise _CtdcJobError(_ctdc_noop(
                "You may no longer import reference data. Nothing was imported."
            ))
        try:
            data = _ctdc_uploads.upload_read(token)
        except FileNotFoundError as exc:
            raise _CtdcJobError(_ctdc_noop(
                "The uploaded file is no longer kept. Nothing was imported: upload it again."
            )) from exc
        try:
            dataset = ctdc.ctdc_import(
                data=data, source_name=str(job.params.get("source_name") or "ctdc.csv"),
                label=str(job.params.get("label") or ""), actor=actor, progress=report,
            )
        except ctdc.CtdcFileError as exc:
            raise _CtdcJobError(_ctdc_noop(
                "The file could not be imported (it has errors, or it was already imported). "
                "Nothing was imported: upload it again to see why."
            )) from exc
        return {"rows": dataset.row_count}
    finally:
        _ctdc_uploads.upload_discard(token)


# --- the statistical abstract (helper OUTPUT) ------------------------------------------

from collections.abc import Mapping as _AbstractMapping  # noqa: E402

from django.core.exceptions import PermissionDenied as _AbstractPermissionDenied  # noqa: E402
from django.core.exceptions import ValidationError as _AbstractValidationError  # noqa: E402
from django.utils.translation import gettext_lazy as _abstract_lazy  # noqa: E402
from django.utils.translation import gettext_noop as _abstract_noop  # noqa: E402

from homeward.jobs.models import Job as _AbstractJob  # noqa: E402
from homeward.jobs.registry import JobError as _AbstractJobError  # noqa: E402
from homeward.jobs.registry import Report as _AbstractReport  # noqa: E402
from homeward.jobs.registry import job as _abstract_job  # noqa: E402

ABSTRACT = "stats.abstract"


@_abstract_job(
    ABSTRACT,
    title=_abstract_lazy("Statistical abstract"),
    results={"reports": _abstract_lazy("Reports"),
             "suppressed": _abstract_lazy("Figures suppressed")},
    next_url="stats:abstract",
)
def abstract_job(job: _AbstractJob, report: _AbstractReport) -> _AbstractMapping[str, int]:
    """Make the requested abstract's PDF (see ``services.abstracts``)."""
    from homeward.stats.models import Abstract
    from homeward.stats.services.abstracts import abstract_make

    abstract = Abstract.objects.filter(pk=job.params.get("abstract")).first()
    if abstract is None:
        raise _AbstractJobError(_abstract_noop("The abstract was deleted. Nothing was made."))
    try:
        return abstract_make(abstract=abstract, progress=report)
    except (_AbstractPermissionDenied, _AbstractValidationError) as exc:
        raise _AbstractJobError(_abstract_noop(
            "You may no longer publish these figures with this threshold. No abstract was made."
        )) from exc


# --- the HTCDS import (helper HTCDS) --------------------------------------------------

from collections.abc import Mapping as _HtcdsMapping  # noqa: E402

from django.core.exceptions import ValidationError as _HtcdsValidationError  # noqa: E402
from django.utils.translation import gettext_lazy as _htcds_lazy  # noqa: E402
from django.utils.translation import gettext_noop as _htcds_noop  # noqa: E402

from homeward.accounts.models import Organisation as _HtcdsOrganisation  # noqa: E402
from homeward.accounts.models import User as _HtcdsUser  # noqa: E402
from homeward.directory import exchange as _htcds_uploads  # noqa: E402
from homeward.jobs.models import Job as _HtcdsJob  # noqa: E402
from homeward.jobs.registry import JobError as _HtcdsJobError  # noqa: E402
from homeward.jobs.registry import Report as _HtcdsReport  # noqa: E402
from homeward.jobs.registry import job as _htcds_job  # noqa: E402
from homeward.jobs.services import job_enqueue as _htcds_enqueue  # noqa: E402

HTCDS_IMPORT = "stats.htcds_import"


def htcds_import_enqueue(
    *, token: str, filename: str, organisation: _HtcdsOrganisation, actor: _HtcdsUser,
) -> _HtcdsJob:
    """Queue the import of a checked HTCDS upload (kept under ``token``) into
    ``organisation``. The job holds the token, the file name and ids only."""
    return _htcds_enqueue(
        kind=HTCDS_IMPORT,
        params={"token": token, "filename": filename[:255], "organisation": organisation.pk},
        actor=actor, organisation=organisation,
    )


@_htcds_job(
    HTCDS_IMPORT,
    title=_htcds_lazy("HTCDS case import"),
    results={
        "create": _htcds_lazy("Created"), "update": _htcds_lazy("Updated"),
        "unchanged": _htcds_lazy("Unchanged"), "rows_with_errors": _htcds_lazy("Rows with errors"),
    },
    next_url="stats:exchange",
)
def htcds_import_job(job: _HtcdsJob, report: _HtcdsReport) -> _HtcdsMapping[str, int]:
    """Check the stored file again as its importer, then write it in one
    transaction (all or nothing). The stored file is deleted in every case."""
    from homeward.stats.htcds import importer
    from homeward.stats.scope import publish_organisations

    token = str(job.params.get("token", ""))
    try:
        actor = (
            _HtcdsUser.objects.filter(pk=job.created_by_id).first()
            if job.created_by_id is not None else None
        )
        organisation = None
        if actor is not None and actor.is_active:
            organisation = publish_organisations(actor).filter(
                pk=job.params.get("organisation")
            ).first()
        if actor is None or organisation is None:
            raise _HtcdsJobError(_htcds_noop(
                "You may no longer import cases into this organisation. Nothing was imported."
            ))
        try:
            data = _htcds_uploads.upload_read(token)
        except FileNotFoundError as exc:
            raise _HtcdsJobError(_htcds_noop(
                "The uploaded file is no longer kept. Nothing was imported: upload it again."
            )) from exc
        filename = str(job.params.get("filename") or "upload.csv")
        try:
            plan = importer.htcds_check(data=data, filename=filename, organisation=organisation)
        except importer.HtcdsFileError as exc:
            raise _HtcdsJobError(_htcds_noop(
                "The file could not be read again. Nothing was imported: upload it again."
            )) from exc
        if plan.has_errors:
            raise _HtcdsJobError(
                _htcds_noop("Some rows now have errors. Nothing was imported: upload the file "
                           "again to see them."),
                result={"rows_with_errors": len(plan.error_rows)},
            )
        report(0, len(plan.rows))
        try:
            return importer.htcds_import(
                organisation=organisation, actor=actor, plan=plan, progress=report
            )
        except _HtcdsValidationError as exc:
            raise _HtcdsJobError(_htcds_noop(
                "A row could not be saved, so nothing was imported. Upload the file again "
                "to check it."
            )) from exc
    finally:
        _htcds_uploads.upload_discard(token)
