from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from homeward.accounts.models import User
from homeward.accounts.roles import Capability
from homeward.accounts.selectors import capabilities_in
from homeward.accounts.sudo import sudo_active, sudo_redirect
from homeward.audit.forms import AuditFilterForm
from homeward.audit.models import AuditEntry
from homeward.audit.selectors import audit_list_for_user
from homeward.audit.services import Action, audit_record


def _auditor(request: HttpRequest) -> User:
    """The signed-in user, if they may read the audit log where they work."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    membership = getattr(request, "membership", None)
    organisation = membership.organisation if membership is not None else None
    if Capability.AUDIT_VIEW not in capabilities_in(user, organisation):
        raise PermissionDenied
    return user


def _filtered(
    request: HttpRequest, user: User
) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_list_for_user(
        user=user,
        action=filters.get("action") or "",
        actor=filters.get("actor") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, entries


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    form, entries = _filtered(request, user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/entry_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def entry_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """CSV of the filtered log. The export itself is audited first."""
    user = _auditor(request)
    if not sudo_active(request):
        return sudo_redirect(request)
    _form, entries = _filtered(request, user)
    with transaction.atomic():
        audit_record(
            action=Action.EXPORT, actor=user, target_type="audit.AuditEntry",
            detail={"format": "csv", "rows": entries.count()},
        )
    writer = csv.writer(_Echo())
    header = ["id", "time_utc", "user", "organisation", "action", "record_type", "record_id",
              "fields", "ip", "hash"]

    def rows() -> Iterator[str]:
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=1000):
            yield writer.writerow([
                entry.pk, entry.at.astimezone(UTC).isoformat(), entry.actor_name,
                entry.organisation_code, entry.action, entry.target_type, entry.target_id,
                ";".join(entry.fields), entry.ip or "", entry.hash,
            ])

    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="homeward-audit-{stamp}.csv"'
    return response
