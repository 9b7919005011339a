"""Demo hotline: the Angel Coalition's six toll-free lines, three information
campaigns and a year of invented contacts, so that the contact list, the
follow-up queue, the repeat-caller panel and the analysis pages have
something to show.

The mix follows the seed documents, not any real call log:

* lines — the toll-free Russian-language hotline "in Russia, the United
  States, the Netherlands, Belgium, Germany, and Switzerland" (MiraMed's
  summary), the numbers of the directory demo (``directory.demo.HOTLINES``);
* who calls — "victims and their families" (the hotline's description in the
  Hartl thesis) and, most often, people about to work abroad checking an offer;
* where from — the cities of origin of IOM Moscow's Russian victims
  (Makhachkala and Dagestan, Astrakhan, Ufa, Tuapse first, then Volgograd,
  Rostov, Samara, Perm, Omsk, Kazan …; the IOM Moscow report, Figure 4),
  plus Moscow and St Petersburg, where the hotline was advertised;
* where to — where Russian victims were found (Turkey far ahead, then
  Greece, Spain, Cyprus, the Emirates, Israel …; the IOM Moscow report's
  Table 1 and the thesis) and the TIP report's destinations (Germany,
  China, Japan, South Korea, the Middle East);
* campaigns — MiraMed "regularly supplies the two Moscow international
  airports with brochures …, which results in more calls to the hotline";
  brochures went to travellers to Greece or Turkey; the 2008 Moscow metro
  posters; IOM's radio messages in the regions. The airport campaign here
  gives a clear spike of Moscow job-offer checks.

Every caller is invented: most have no name; the few names are made-up
surnames ("Небылицына" — "tall tale") marked "(демо)"; phones are in ranges
that look reserved (+7 900 000-xx-xx, +1 202 555-01xx, +49 30 23125-xxx);
e-mails end in ``.invalid``.

Lines and campaigns are made through the services (one audit row each).
The ~3 000 contacts are written with ``bulk_create`` — the services would
take a minute and write ~3 000 audit rows into the hash chain, one at a time
under its lock, which tell an auditor nothing about an invented import. The
rules of ``contact_log`` are kept by hand (phones in E.164 with their blind
index, follow-ups assigned to members, professional kind only for
professionals, referrals the operator can see) and ONE audit row, by the
demo coordinator, records the import with its counts.

Used by ``homeward seed-demo`` after the organisations, users and directory
exist; refuses to run in production. Idempotent: missing lines and
campaigns are added; contacts only when AC-MOW has none.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from homeward.accounts.demo import DemoRefused
from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action, audit_record
from homeward.core import access
from homeward.directory.demo import HOTLINES
from homeward.directory.models import Entry
from homeward.hotline import services
from homeward.hotline.demo.generator import Draft, Generator, poisson
from homeward.hotline.demo.mix import (
    CAMPAIGNS,
    DAILY_CONTACTS,
    DAYS,
    LINE_DETAILS,
    SEASON,
    WEEKDAY,
    campaign_boost,
    origin_share,
)
from homeward.hotline.models import Campaign, Contact, EscalationCall, Line

DEMO_ORGANISATION = "AC-MOW"
DEMO_OPERATOR = "operator"
DEMO_COORDINATOR = "coordinator"
DEMO_SEED = 20260101

def _lines(actor: User, organisation: Organisation) -> dict[str, Line]:
    """The six toll-free lines, with the directory's numbers (missing ones added)."""
    lines: dict[str, Line] = {}
    for country, name_en, name_ru, number, _lat, _lon in HOTLINES:
        line = Line.objects.filter(organisation=organisation, number=number).first()
        if line is None:
            line = services.line_create(
                actor=actor, organisation=organisation, country=country, number=number,
                languages=["ru", *LINE_DETAILS[country][0]], is_24_7=True,
                hours="24/7, toll-free", label_en=f"Angel Coalition hotline, {name_en}",
                label_ru=f"Горячая линия Ангельской коалиции, {name_ru}",
            )
        lines[country] = line
    return lines


def _campaigns(actor: User, organisation: Organisation, today: datetime.date) -> None:
    for campaign in CAMPAIGNS:
        if Campaign.objects.filter(organisation=organisation, name=campaign.name).exists():
            continue
        starts = today - datetime.timedelta(days=campaign.starts_days_ago)
        services.campaign_create(
            actor=actor, organisation=organisation, name=campaign.name,
            cities=campaign.cities, channels=[campaign.channel], starts_on=starts,
            ends_on=starts + datetime.timedelta(days=campaign.weeks * 7 - 1),
            materials_distributed=campaign.materials, notes=campaign.notes,
        )


def _contacts(generator: Generator, today: datetime.date) -> list[Draft]:
    """A year of contacts up to ``today``: the daily flow (by season and
    weekday), the extra contacts each campaign brings from the callers it
    reaches, the callers who call back, and a follow-up queue with work in it."""
    rng = generator.rng
    drafts: list[Draft] = []

    def add(draft: Draft | None) -> None:
        if draft is not None:
            drafts.append(draft)

    # The campaigns' extra contacts come as expected, not at random, so that
    # their effect shows the same whatever the day of seeding.
    owed = dict.fromkeys(range(len(CAMPAIGNS)), 0.0)
    for days_ago in range(DAYS - 1, -1, -1):
        day = today - datetime.timedelta(days=days_ago)
        rate = DAILY_CONTACTS * SEASON[day.month] * WEEKDAY[day.weekday()]
        for _ in range(poisson(rng, rate)):
            add(generator.contact(day))
        for number, campaign in enumerate(CAMPAIGNS):
            boost = campaign_boost(campaign, campaign.starts_days_ago - days_ago)
            owed[number] += rate * origin_share(campaign.origin) * boost
            while owed[number] >= 1:
                owed[number] -= 1
                add(generator.contact(day, origin=campaign.origin,
                                      job_seeker=rng.random() < campaign.job_seekers))
    drafts += generator.repeats(drafts, series=15)
    generator.fill_queue(drafts, overdue=4, upcoming=3)
    drafts.sort(key=lambda d: d.contact.started_at)
    return drafts


def _save(drafts: list[Draft], *, operator: User) -> tuple[int, int, int]:
    """Write the contacts, their referrals and escalation calls in bulk; the
    encrypted fields encrypt on the way in, as on ``save()``."""
    contacts = Contact.objects.bulk_create([d.contact for d in drafts], batch_size=500)
    Through = Contact.referrals.through
    referrals = Through.objects.bulk_create(
        [Through(contact_id=c.pk, entry_id=d.referral.pk)
         for c, d in zip(contacts, drafts, strict=True) if d.referral is not None],
        batch_size=1000,
    )
    calls = EscalationCall.objects.bulk_create(
        [EscalationCall(contact=c, entry=entry, other=other, recorded_by=operator,
                        called_at=c.started_at + datetime.timedelta(minutes=minutes))
         for c, d in zip(contacts, drafts, strict=True) if d.escalation is not None
         for entry, other, minutes in [d.escalation]],
        batch_size=1000,
    )
    # "Recorded" when the call ended, not today.
    Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(
        created_at=Coalesce(F("ended_at"), F("started_at")),
        updated_at=Coalesce(F("follow_up_done_at"), F("ended_at"), F("started_at")),
    )
    return len(contacts), len(referrals), len(calls)


@transaction.atomic
def seed_hotline_demo(*, today: datetime.date | None = None, seed: int = DEMO_SEED) -> None:
    """Add the demo lines, campaigns and (when AC-MOW has none) a year of
    contacts up to ``today``; the same ``seed`` gives the same contacts."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused("seed-demo refuses to run with HOMEWARD_ENV=production")
    organisation = Organisation.objects.filter(code=DEMO_ORGANISATION).first()
    operator = User.objects.filter(username=DEMO_OPERATOR).first()
    coordinator = User.objects.filter(username=DEMO_COORDINATOR).first()
    if organisation is None or operator is None or coordinator is None:
        return
    today = today or timezone.localdate()
    lines = _lines(coordinator, organisation)
    _campaigns(coordinator, organisation, today)
    if Contact.objects.filter(organisation=organisation).exists():
        return
    end_of_today = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    rng = random.Random(seed)  # noqa: S311 - invented data, not a secret
    generator = Generator(
        rng=rng, organisation=organisation, operator=operator,
        coordinator=coordinator, lines=lines,
        entries=list(access.for_user(operator, Entry)), today=today,
        horizon=min(timezone.now(), end_of_today),
    )
    count, referrals, calls = _save(_contacts(generator, today), operator=operator)
    audit_record(
        action=Action.CREATE, actor=coordinator, organisation=organisation,
        target_type=Contact._meta.label, detail={
            "source": "seed-demo", "contacts": count, "referrals": referrals,
            "escalation_calls": calls,
        },
    )
