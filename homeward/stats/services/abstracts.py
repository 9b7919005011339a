"""The statistical abstract: every report of a period in one PDF, made in
the background.

``abstract_request`` records the request and queues the job
(``stats.abstract``, declared in ``homeward.stats.jobs``), audited as a
creation; ``abstract_make`` (run by the job) publishes every report of the
coalition's own records exactly as ``figures_view`` would — same checks,
same suppression, checked again when the job runs — renders the PDF,
stores it with the abstract and audits the EXPORT. CTDC reference data is
never part of an abstract (it is not the coalition's cases).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action, audit_record
from homeward.jobs.services import job_enqueue
from homeward.stats import publication
from homeward.stats.choices import Family, Format
from homeward.stats.filters import ReportFilter
from homeward.stats.models import Abstract
from homeward.stats.render import Download
from homeward.stats.reports import Report, all_reports
from homeward.stats.services.figures import audit_detail, figures_check

# The job's kind (declared in ``homeward.stats.jobs``).
ABSTRACT = "stats.abstract"
AUDIT_NAME = "abstract"

Progress = Callable[[int, int], None]


def abstract_reports() -> list[Report]:
    """The reports of an abstract, in their order: every report but the
    CTDC reference data."""
    return [spec for spec in all_reports() if spec.family != Family.CTDC]


def abstract_filter(abstract: Abstract) -> tuple[ReportFilter, int]:
    """The filter and k an abstract was requested with."""
    params = abstract.params or {}
    return ReportFilter.from_params(params.get("filter") or {}), int(params.get("k") or 0)


@transaction.atomic
def abstract_request(*, actor: User, filter: ReportFilter, language: str, k: int) -> Abstract:
    """Queue the statistical abstract of ``filter`` with threshold ``k`` in
    ``language`` for ``actor`` (a report reader; k at least their floor);
    audited as a creation. Raises PermissionDenied / ValidationError as
    ``figures_check``, and ValidationError for an unknown language."""
    figures_check(actor=actor, filter=filter, k=k)
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Unknown language: %(language)s.") % {"language": language},
                              code="language")
    abstract = Abstract.objects.create(
        created_by=actor, params={"filter": filter.params(), "k": k}, language=language
    )
    abstract.job = job_enqueue(kind=ABSTRACT, params={"abstract": abstract.pk}, actor=actor)
    abstract.save(update_fields=["job"])
    audit_record(
        action=Action.CREATE, actor=actor, target=abstract,
        detail=audit_detail(name=AUDIT_NAME, filter=filter, k=k, source="web",
                            language=language),
    )
    return abstract


def abstract_make(*, abstract: Abstract, progress: Progress | None = None) -> dict[str, int]:
    """Publish every report of ``abstract`` for its maker, render the PDF
    and keep it; audited as EXPORT. Re-checks the maker's rights (they may
    have changed since the request): PermissionDenied / ValidationError.
    Returns the counts the job shows."""
    from homeward.stats.pdf import abstract_pdf

    actor = abstract.created_by
    filter_, k = abstract_filter(abstract)
    figures_check(actor=actor, filter=filter_, k=k)
    reports = abstract_reports()
    steps = 2 * len(reports) + 1

    def step(done: int) -> None:
        if progress is not None:
            progress(done, steps)

    step(0)
    tables = []
    for number, report in enumerate(reports, start=1):
        tables.append((report, publication.publish(report=report, filter=filter_, k=k)))
        step(number)
    content = abstract_pdf(
        tables, filter_, abstract.language,
        lambda done, _total: step(len(reports) + min(done, len(reports) + 1)), k=k,
    )
    suppressed = sum(table.suppressed for _report, table in tables)
    with transaction.atomic():
        abstract.pdf = content
        abstract.finished_at = timezone.now()
        abstract.save(update_fields=["pdf", "finished_at"])
        audit_record(
            action=Action.EXPORT, actor=actor, target=abstract,
            detail=audit_detail(name=AUDIT_NAME, filter=filter_, k=k, source="job",
                                format=Format.PDF.value, language=abstract.language,
                                reports=len(reports), suppressed=suppressed),
        )
    return {"reports": len(reports), "suppressed": suppressed}


@transaction.atomic
def abstract_export(*, actor: User, abstract: Abstract) -> Download:
    """The finished ``abstract``'s PDF for ``actor`` — its maker: callers read
    it through the access gate (``core.access``) — audited as EXPORT with the
    filter, k and language it was made with, in the same transaction.
    ValidationError when the PDF is not made yet."""
    if abstract.finished_at is None or not abstract.pdf:
        raise ValidationError(_("The abstract is not ready yet."), code="not_ready")
    filter_, k = abstract_filter(abstract)
    audit_record(
        action=Action.EXPORT, actor=actor, target=abstract,
        organisation=abstract_organisation(filter_),
        detail=audit_detail(name=AUDIT_NAME, filter=filter_, k=k, source="web",
                            format=Format.PDF.value, language=abstract.language),
    )
    stamp = abstract.created_at.date().isoformat()
    return Download(
        content=bytes(abstract.pdf),
        filename=f"statistical-abstract-{stamp}-{abstract.language}.pdf",
        content_type="application/pdf",
    )


def abstract_organisation(filter: ReportFilter) -> Organisation | None:
    """The organisation an abstract's audit rows belong to: the one counted,
    or none when it counts several."""
    if len(filter.organisations) != 1:
        return None
    return Organisation.objects.filter(pk=filter.organisations[0]).first()
