"""Creating and reading notifications.

``notify`` is what other apps call: it records one notification per user
and key (a task that runs every hour notifies once), and after the
transaction commits e-mails each new one in the recipient's language —
the title (a case code, an organisation, a date) and a link, never a name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from homeward.accounts.models import Organisation, User
from homeward.notifications import kinds
from homeward.notifications.models import Notification

logger = logging.getLogger(__name__)


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    kind: str,
    params: dict[str, str],
    url: str,
    key: str,
    organisation: Organisation | None = None,
    email: bool = True,
) -> int:
    """Notify each active user once per ``key``; returns how many were new.

    ``params`` and ``url`` must hold no identifying data (codes, dates,
    organisation names only). With ``email``, each new notification is
    also e-mailed (to users with an address) once the transaction commits.
    """
    kinds.get(kind)
    params = {name: str(value) for name, value in params.items()}
    created: list[int] = []
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notification, was_created = Notification.objects.get_or_create(
            user=user, key=key,
            defaults={"kind": kind, "params": params, "url": url,
                      "organisation": organisation},
        )
        if was_created:
            created.append(notification.pk)
    if email and created:
        transaction.on_commit(lambda: _send_emails(created))
    return len(created)


def _link(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.HOMEWARD_SITE_URL + url if url else settings.HOMEWARD_SITE_URL + "/"


def _send_emails(pks: list[int]) -> None:
    """E-mail notifications not e-mailed yet; each is marked when sent."""
    for notification in Notification.objects.filter(
        pk__in=pks, emailed_at__isnull=True
    ).select_related("user"):
        user = notification.user
        if not user.email:
            continue
        with override(user.language or settings.LANGUAGE_CODE):
            subject = kinds.title(notification.kind, notification.params)
            body = _("%(title)s.\n\nOpen it in Homeward: %(link)s") % {
                "title": subject, "link": _link(notification.url),
            }
        try:
            send_mail(subject=subject, message=body, from_email=None,
                      recipient_list=[user.email])
        except Exception as exc:  # a mail server down must not break the caller
            logger.warning("Notification %s not e-mailed: %s", notification.pk,
                           type(exc).__name__)
            continue
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark the actor's own notification read (once; later calls keep the time)."""
    if notification.user_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark all the actor's unread notifications read; returns how many."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
