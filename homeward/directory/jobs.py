"""The directory's background jobs: importing a confirmed file."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from homeward.accounts.models import Organisation, User
from homeward.directory import exchange
from homeward.directory.selectors import editable_owners
from homeward.jobs.models import Job
from homeward.jobs.registry import JobError, Report, job
from homeward.jobs.services import job_enqueue

IMPORT = "directory.import"


def import_enqueue(
    *,
    token: str,
    fmt: str,
    actor: User,
    default_owner: Organisation | None,
    organisation: Organisation | None,
) -> Job:
    """Queue the import of a checked upload (kept under ``token``) for ``actor``.

    The job holds the token, the file's format and organisation ids only.
    """
    return job_enqueue(
        kind=IMPORT,
        params={
            "token": token, "format": fmt,
            "default_owner": default_owner.pk if default_owner is not None else None,
        },
        actor=actor, organisation=organisation,
    )


@job(
    IMPORT,
    title=_("Directory import"),
    results={
        exchange.CREATE: _("Created"), exchange.UPDATE: _("Updated"),
        exchange.UNCHANGED: _("Unchanged"), "rows_with_errors": _("Rows with errors"),
    },
    next_url="directory:import",
)
def import_job(job: Job, report: Report) -> Mapping[str, int]:
    """Check the stored file again as its importer, then write it in one
    transaction (all or nothing). The file is deleted in every case."""
    token = str(job.params.get("token", ""))
    try:
        # Only a signed-in user queues an import (the scheduler never does).
        assert job.created_by_id is not None  # noqa: S101
        actor = User.objects.get(pk=job.created_by_id)
        try:
            data = exchange.upload_read(token)
        except FileNotFoundError as exc:
            raise JobError(gettext_noop(
                "The uploaded file is no longer kept. Nothing was imported: upload it again."
            )) from exc
        owners = editable_owners(actor) if actor.is_active else Organisation.objects.none()
        default_pk = job.params.get("default_owner")
        default_owner = owners.filter(pk=default_pk).first() if default_pk else None
        fmt = "xlsx" if job.params.get("format") == "xlsx" else "csv"
        try:
            plan = exchange.import_parse(
                data=data, filename=f"upload.{fmt}", user=actor, owners=owners,
                default_owner=default_owner,
            )
        except exchange.ImportFileError as exc:
            raise JobError(gettext_noop(
                "The file could not be read again. Nothing was imported: upload it again."
            )) from exc
        if plan.has_errors:
            raise JobError(
                gettext_noop(
                    "The directory changed since you checked the file, and some rows now "
                    "have errors. Nothing was imported: upload the file again to see them."
                ),
                result={"rows_with_errors": sum(1 for row in plan.rows if row.errors)},
            )
        report(0, len(plan.rows))
        try:
            return exchange.import_apply(plan=plan, actor=actor, progress=report)
        except ValidationError as exc:
            raise JobError(gettext_noop(
                "A row could not be saved, so nothing was imported. Upload the file again "
                "to check it."
            )) from exc
    finally:
        exchange.upload_discard(token)
