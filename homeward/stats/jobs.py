"""The statistics app's background jobs (autodiscovered by the worker):
the statistical abstract, the CTDC import and the HTCDS import.

Each job re-checks, when it runs, that the person who asked may still do
it; an import reads the upload kept under its token and deletes it in
every case. Messages are ``gettext_noop`` (the job page translates them)
and never name a record.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from homeward.accounts.models import Organisation, User
from homeward.directory import exchange as uploads
from homeward.jobs.models import Job
from homeward.jobs.registry import JobError, Report, job
from homeward.jobs.services import job_enqueue
from homeward.stats.services.abstracts import ABSTRACT

CTDC_IMPORT = "stats.ctdc_import"
HTCDS_IMPORT = "stats.htcds_import"


def _requester(job: Job) -> User | None:
    """Who queued ``job``, while their account is active."""
    if job.created_by_id is None:
        return None
    return User.objects.filter(pk=job.created_by_id, is_active=True).first()


def _upload(token: str) -> bytes:
    """The upload kept under ``token``; JobError when it is gone."""
    try:
        return uploads.upload_read(token)
    except FileNotFoundError as exc:
        raise JobError(gettext_noop(
            "The uploaded file is no longer kept. Nothing was imported: upload it again."
        )) from exc


# --- the CTDC import ---------------------------------------------------------------------


def ctdc_import_enqueue(
    *, token: str, source_name: str, label: str, actor: User,
    organisation: Organisation | None = None,
) -> Job:
    """Queue the import of a checked CTDC upload (kept under ``token``)."""
    return job_enqueue(
        kind=CTDC_IMPORT,
        params={"token": token, "source_name": source_name[:255], "label": label[:200]},
        actor=actor, organisation=organisation,
    )


@job(
    CTDC_IMPORT,
    title=_("CTDC reference data import"),
    results={"rows": _("Rows imported")},
    next_url="stats:reference",
)
def ctdc_import_job(job: Job, report: Report) -> Mapping[str, int]:
    """Import the stored CTDC file in one transaction (all or nothing); the
    stored file is deleted in every case."""
    from homeward.stats import ctdc
    from homeward.stats.scope import may_publish

    token = str(job.params.get("token", ""))
    try:
        actor = _requester(job)
        if actor is None or not may_publish(actor):
            raise JobError(gettext_noop(
                "You may no longer import reference data. Nothing was imported."
            ))
        data = _upload(token)
        try:
            dataset = ctdc.ctdc_import(
                data=data, source_name=str(job.params.get("source_name") or "ctdc.csv"),
                label=str(job.params.get("label") or ""), actor=actor, progress=report,
            )
        except ctdc.CtdcFileError as exc:
            raise JobError(gettext_noop(
                "The file could not be imported (it has errors, or it was already imported). "
                "Nothing was imported: upload it again to see why."
            )) from exc
        return {"rows": dataset.row_count}
    finally:
        uploads.upload_discard(token)


# --- the statistical abstract ------------------------------------------------------------


@job(
    ABSTRACT,
    title=_("Statistical abstract"),
    results={"reports": _("Reports"), "suppressed": _("Figures suppressed")},
    next_url="stats:abstract",
)
def abstract_job(job: Job, report: Report) -> Mapping[str, int]:
    """Make the requested abstract's PDF (see ``services.abstracts``)."""
    from homeward.stats.models import Abstract
    from homeward.stats.services.abstracts import abstract_make

    abstract = Abstract.objects.filter(pk=job.params.get("abstract")).first()
    if abstract is None:
        raise JobError(gettext_noop("The abstract was deleted. Nothing was made."))
    try:
        return abstract_make(abstract=abstract, progress=report)
    except (PermissionDenied, ValidationError) as exc:
        raise JobError(gettext_noop(
            "You may no longer publish these figures with this threshold. No abstract was made."
        )) from exc


# --- the HTCDS import --------------------------------------------------------------------


def htcds_import_enqueue(
    *, token: str, filename: str, organisation: Organisation, actor: User,
) -> Job:
    """Queue the import of a checked HTCDS upload (kept under ``token``) into
    ``organisation``. The job holds the token, the file name and ids only."""
    return job_enqueue(
        kind=HTCDS_IMPORT,
        params={"token": token, "filename": filename[:255], "organisation": organisation.pk},
        actor=actor, organisation=organisation,
    )


@job(
    HTCDS_IMPORT,
    title=_("HTCDS case import"),
    results={
        "create": _("Created"), "update": _("Updated"),
        "unchanged": _("Unchanged"), "rows_with_errors": _("Rows with errors"),
    },
    next_url="stats:exchange",
)
def htcds_import_job(job: Job, report: Report) -> Mapping[str, int]:
    """Check the stored file again as its importer, then write it in one
    transaction (all or nothing). The stored file is deleted in every case."""
    from homeward.stats.htcds import importer
    from homeward.stats.scope import publish_organisations

    token = str(job.params.get("token", ""))
    try:
        actor = _requester(job)
        organisation = None
        if actor is not None:
            organisation = publish_organisations(actor).filter(
                pk=job.params.get("organisation")
            ).first()
        if actor is None or organisation is None:
            raise JobError(gettext_noop(
                "You may no longer import cases into this organisation. Nothing was imported."
            ))
        data = _upload(token)
        filename = str(job.params.get("filename") or "upload.csv")
        try:
            plan = importer.htcds_check(data=data, filename=filename, organisation=organisation)
        except importer.HtcdsFileError as exc:
            raise JobError(gettext_noop(
                "The file could not be read again. Nothing was imported: upload it again."
            )) from exc
        if plan.has_errors:
            raise JobError(
                gettext_noop("Some rows now have errors. Nothing was imported: upload the file "
                             "again to see them."),
                result={"rows_with_errors": len(plan.error_rows)},
            )
        report(0, len(plan.rows))
        try:
            return importer.htcds_import(
                organisation=organisation, actor=actor, plan=plan, progress=report
            )
        except ValidationError as exc:
            raise JobError(gettext_noop(
                "A row could not be saved, so nothing was imported. Upload the file again "
                "to check it."
            )) from exc
    finally:
        uploads.upload_discard(token)
