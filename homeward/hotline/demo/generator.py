"""Invents the contacts of the demo hotline, one day at a time, from the mix
in :mod:`homeward.hotline.demo.mix`, with a seeded ``random.Random`` (the
same seed and day give the same contacts).

The contacts are built unsaved, keeping the rules of ``contact_log`` by
hand: phones in E.164 with their blind index, the kind of professional only
for professionals, follow-ups assigned to members of the organisation,
referrals to directory entries the demo operator can see.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import random
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from homeward.accounts.models import Organisation, User
from homeward.directory.models import Entry, EntryKind
from homeward.directory.phones import to_e164
from homeward.hotline.choices import INDICATOR_CHOICES, Channel, Topic
from homeward.hotline.demo.mix import (
    ADVICE,
    AIRPORT_DESTINATIONS,
    CALLERS_ABROAD,
    CALLERS_RUSSIA,
    CALLERS_WRITING,
    CHANNELS,
    DEMO,
    DESTINATIONS,
    DOMESTIC_CITIES,
    FIRST_NAMES,
    FOLLOW_UP_NOTES,
    HOURS,
    INDICATORS,
    LINE_DETAILS,
    LINE_WEIGHTS,
    MOSCOW,
    NOTES,
    ORIGINS,
    OTHER_OUTCOMES,
    OUTCOMES,
    PROFESSIONALS,
    SURNAMES,
    TOPICS,
    C,
    M,
    Out,
    P,
    S,
    T,
    Weighted,
)
from homeward.hotline.models import Contact, Line
from homeward.hotline.phones import phone_index

# --- the generator ------------------------------------------------------------


def pick(rng: random.Random, table: Weighted[T]) -> T:
    values = [value for value, _weight in table]
    return rng.choices(values, weights=[weight for _value, weight in table])[0]


def poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def in_order(values: set[str], choices: Sequence[tuple[str, Any]]) -> list[str]:
    return [value for value, _label in choices if value in values]


@dataclasses.dataclass
class Draft:
    contact: Contact
    referral: Entry | None = None
    # Who was called to start a rescue: (entry, name when not in the directory, minutes after)
    escalation: tuple[Entry | None, str, int] | None = None


class Generator:
    """Builds unsaved contacts; ``horizon`` is the latest moment a contact may start."""

    def __init__(
        self, *, rng: random.Random, organisation: Organisation, operator: User,
        coordinator: User, lines: dict[str, Line], entries: list[Entry],
        today: datetime.date, horizon: datetime.datetime,
    ) -> None:
        self.rng = rng
        self.organisation = organisation
        self.operator = operator
        self.coordinator = coordinator
        self.lines = lines
        self.today = today
        self.horizon = horizon
        self.task_forces = {str(e.country): e for e in entries if e.kind == EntryKind.TASK_FORCE}
        self.consulates = {str(e.country): e for e in entries if e.kind == EntryKind.EMBASSY}
        self.tvac = next((e for e in entries if e.name_en.startswith("Trafficking Victim")), None)
        self.crisis = next((e for e in entries if e.name_en.startswith("Psychological Crisis")),
                           None)
        # Adults are referred to TVAC in Moscow, elsewhere to the region's NGO or safe house.
        self.regional: dict[str, Entry] = {}
        for kind in (EntryKind.NGO, EntryKind.COALITION_MEMBER, EntryKind.SHELTER):
            for entry in entries:
                if (entry.kind == kind and str(entry.country) == "RU" and entry.region
                        and "minors" not in entry.name_en):
                    self.regional.setdefault(entry.region, entry)
        if self.tvac is not None:
            self.regional[self.tvac.region] = self.tvac
        pools: dict[str, list[str]] = {
            "RU": [f"+7 900 000-{n // 100:02d}-{n % 100:02d}" for n in range(1000, 10000)],
            "US": [f"+1 202 555-0{n}" for n in range(100, 200)],
            "DE": [f"+49 30 23125-{n:03d}" for n in range(1000)],
        }
        for pool in pools.values():
            rng.shuffle(pool)
        self.phones = pools
        self.email_count = 0

    # --- one contact ---------------------------------------------------------

    def contact(
        self, day: datetime.date, *, origin: tuple[str, str] | None = None,
        job_seeker: bool = False,
    ) -> Draft | None:
        rng = self.rng
        reached = origin is not None
        channel = Channel.CALL if reached else pick(rng, CHANNELS)
        line = None
        if channel == Channel.CALL:
            code = "RU" if reached else pick(rng, list(LINE_WEIGHTS.items()))
            line = self.lines.get(code)
            if line is None:
                return None
        abroad = line is not None and str(line.country) != "RU"
        writing = channel in (Channel.MESSAGE, Channel.EMAIL)
        if job_seeker:
            caller_type: str = C.PLANNING_TO_WORK_ABROAD
        else:
            caller_type = pick(rng, CALLERS_ABROAD if abroad else
                               CALLERS_WRITING if writing else CALLERS_RUSSIA)
        main_topics, extra_topics = TOPICS[caller_type]
        topic = P.JOB_OFFER_CHECK if job_seeker else pick(rng, main_topics)
        topics = {topic} | {extra for extra, chance in extra_topics
                            if extra != topic and rng.random() < chance}

        if channel == Channel.WALK_IN:
            origin = MOSCOW  # the coalition's office
        caller_country, region, city, concern_country, concern_city = self._places(
            line, caller_type, topic, origin=origin, writing=writing,
            airport=job_seeker and origin == MOSCOW,
        )
        indicators = self._indicators(caller_type, topic)
        outcome = pick(rng, OUTCOMES.get(topic, OTHER_OUTCOMES))
        if channel == Channel.EMAIL and outcome == Out.DROPPED:
            outcome = Out.ADVICE_GIVEN
        started = self._moment(day, line)
        if started is None:
            return None
        contact = Contact(
            organisation=self.organisation, line=line, channel=channel, started_at=started,
            ended_at=self._end(started, channel, topic, outcome),
            operator=self.operator if rng.random() < 0.85 else self.coordinator,
            caller_type=caller_type,
            professional_kind=(pick(rng, PROFESSIONALS) if caller_type == C.PROFESSIONAL
                               else ""),
            caller_country=caller_country, caller_region=region, caller_city=city,
            concern_country=concern_country, concern_city=concern_city,
            topics=in_order(topics, Topic.choices),
            indicators=in_order(indicators, INDICATOR_CHOICES),
            assessment=self._assessment(caller_type, topic), outcome=outcome,
        )
        if outcome != Out.DROPPED and rng.random() < 0.45:
            contact.advice_given = f"{rng.choice(ADVICE[topic])} {DEMO}"
        if rng.random() < 0.08:
            contact.notes = f"{rng.choice(NOTES)} {DEMO}"
        self._identify(contact)
        self._follow_up(contact)
        draft = Draft(contact)
        if outcome in (Out.REFERRED, Out.RESCUE_STARTED, Out.CASE_OPENED):
            draft.referral = self._referral(contact, topic)
        if outcome == Out.RESCUE_STARTED:
            task_force = self.task_forces.get(concern_country)
            where = concern_city or concern_country or city
            other = "" if task_force else f"Police duty line, {where} {DEMO}"
            draft.escalation = (task_force, other, rng.randint(15, 120))
        return draft

    def _places(
        self, line: Line | None, caller_type: str, topic: str, *,
        origin: tuple[str, str] | None, writing: bool, airport: bool,
    ) -> tuple[str, str, str, str, str]:
        """(caller country, region, city, concern country, concern city)."""
        rng = self.rng
        if airport:
            country = pick(rng, AIRPORT_DESTINATIONS)
            return "RU", *MOSCOW, country, rng.choice(DESTINATIONS[country][1])
        if line is not None and str(line.country) != "RU":
            here = str(line.country)
            cities = LINE_DETAILS[here][2]
            caller_city = rng.choice(cities) if rng.random() < 0.6 else ""
            caller_country = here if rng.random() < 0.92 else ""
            if caller_type == C.PLANNING_TO_WORK_ABROAD or rng.random() < 0.25:
                country, city = self._destination(exclude=here)
                return caller_country, "", caller_city, country, city
            return caller_country, "", caller_city, here, caller_city or rng.choice(cities)
        if writing and caller_type == C.POSSIBLE_VICTIM and rng.random() < 0.7:
            country, city = self._destination()
            return country, "", city, country, city
        region, city = origin or (pick(rng, ORIGINS) if rng.random() < 0.9 else ("", ""))
        if caller_type == C.POSSIBLE_VICTIM and rng.random() < 0.5:
            return "RU", region, city, "RU", rng.choice(DOMESTIC_CITIES)
        if caller_type == C.OTHER and rng.random() < 0.6:
            return "RU", region, city, "", ""
        if caller_type == C.RELATIVE_OR_FRIEND and rng.random() < 0.1:
            return "RU", region, city, "RU", rng.choice(DOMESTIC_CITIES)
        country, concern_city = self._destination()
        if topic == P.JOB_OFFER_CHECK and rng.random() < 0.3:
            concern_city = ""  # "a hotel somewhere in Turkey"
        return "RU", region, city, country, concern_city

    def _destination(self, exclude: str = "") -> tuple[str, str]:
        table = [(code, weight) for code, (weight, _cities) in DESTINATIONS.items()
                 if code != exclude]
        country = pick(self.rng, table)
        return country, self.rng.choice(DESTINATIONS[country][1])

    def _indicators(self, caller_type: str, topic: str) -> set[str]:
        rng = self.rng
        if topic == P.RESCUE_REQUEST or (caller_type == C.POSSIBLE_VICTIM
                                         and topic != P.JOB_OFFER_CHECK):
            count = pick(rng, [(0, 12), (1, 30), (2, 30), (3, 20), (4, 8)])
        elif topic == P.MISSING_PERSON:
            count = 1 if rng.random() < 0.25 else 0
        elif topic == P.JOB_OFFER_CHECK:
            # An offer that already shows a lie, or an agency asking for the passport.
            roll = rng.random()
            return ({M.FALSE_PROMISES.value} if roll < 0.10 else
                    {M.WITHHOLDS_DOCUMENTS.value} if roll < 0.13 else set())
        else:
            count = 0
        chosen: set[str] = set()
        table = list(INDICATORS)
        for _ in range(count):
            value = pick(rng, table)
            chosen.add(value)
            table = [(v, w) for v, w in table if v != value]
        return chosen

    def _assessment(self, caller_type: str, topic: str) -> str:
        rng = self.rng
        if topic == P.RESCUE_REQUEST or caller_type == C.POSSIBLE_VICTIM:
            return pick(rng, [(S.POSSIBLE, 55), (S.ACTUAL, 20), (S.NOT_A_VICTIM, 5), ("", 20)])
        if topic == P.MISSING_PERSON:
            return S.POSSIBLE if rng.random() < 0.3 else ""
        if topic == P.JOB_OFFER_CHECK:
            return S.NOT_A_VICTIM if rng.random() < 0.04 else ""
        return ""

    def _moment(self, day: datetime.date, line: Line | None) -> datetime.datetime | None:
        zone = ZoneInfo(LINE_DETAILS[str(line.country) if line else "RU"][1])
        hour = pick(self.rng, list(enumerate(HOURS)))
        moment = datetime.datetime.combine(
            day, datetime.time(hour, self.rng.randrange(60), self.rng.randrange(60)),
            tzinfo=zone,
        )
        return None if moment > self.horizon else moment

    def _end(
        self, started: datetime.datetime, channel: str, topic: str, outcome: str
    ) -> datetime.datetime | None:
        if channel == Channel.EMAIL:
            return None
        if outcome == Out.DROPPED:
            minutes = self.rng.randint(0, 2)
        elif topic in (P.RESCUE_REQUEST, P.MISSING_PERSON):
            minutes = self.rng.randint(12, 45)
        else:
            minutes = self.rng.randint(4, 22)
        return started + datetime.timedelta(minutes=minutes, seconds=self.rng.randrange(60))

    def _identify(self, contact: Contact) -> None:
        """A callback number for some, a name for a few, an e-mail for e-mails."""
        rng = self.rng
        if contact.channel == Channel.EMAIL:
            self.email_count += 1
            contact.caller_email = f"demo.writer{self.email_count}@example.invalid"
        elif contact.outcome != Out.DROPPED and rng.random() < (
            0.7 if contact.channel == Channel.MESSAGE else 0.4
        ):
            country = str(contact.caller_country)
            pool = self.phones.get(country) or self.phones["RU"]
            if pool:
                set_phone(contact, pool.pop(), region=country if country in self.phones else "RU")
        if contact.caller_type != C.PROFESSIONAL and rng.random() < 0.06:
            first, gender = rng.choice(FIRST_NAMES)
            surname = rng.choice(SURNAMES) + ("а" if gender == "f" else "")
            contact.caller_name = f"{first} {surname} (демо)"

    def _follow_up(self, contact: Contact) -> None:
        """Follow-ups for rescues, missing persons, returns and documents: done
        when due more than a week ago, mostly done when due in the last week."""
        rng = self.rng
        urgent = {P.RESCUE_REQUEST, P.MISSING_PERSON, P.RETURN_HOME, P.DOCUMENTS}
        chance = 0.2 if urgent & set(contact.topics) else 0.02
        if contact.outcome == Out.DROPPED or rng.random() >= chance:
            return
        start = contact.started_at.date()
        contact.follow_up_due = start + datetime.timedelta(days=rng.randint(1, 5))
        contact.follow_up_assignee = (
            self.coordinator if contact.operator == self.coordinator and rng.random() < 0.5
            else self.operator
        )
        age = (self.today - contact.follow_up_due).days
        if age > 7 or (age > 0 and rng.random() < 0.75):
            mark_done(contact, rng, horizon=self.horizon)

    def _referral(self, contact: Contact, topic: str) -> Entry | None:
        country = str(contact.concern_country)
        if topic == P.PSYCHOLOGICAL and self.crisis is not None:
            return self.crisis
        if country and country != "RU":
            if topic == P.RESCUE_REQUEST:
                return self.task_forces.get(country) or self.consulates.get(country)
            return self.consulates.get(country)
        return self.regional.get(contact.caller_region) or self.tvac

    # --- repeat callers ------------------------------------------------------

    def repeats(self, drafts: list[Draft], series: int) -> list[Draft]:
        """Callers who call back 1–3 times within weeks, from the same number."""
        rng = self.rng
        latest = self.horizon - datetime.timedelta(days=30)
        candidates = [
            d for d in drafts
            if d.contact.caller_phone and d.contact.started_at < latest
            and d.contact.caller_type in (C.RELATIVE_OR_FRIEND, C.POSSIBLE_VICTIM,
                                          C.PLANNING_TO_WORK_ABROAD)
        ]
        added: list[Draft] = []
        for base in rng.sample(candidates, min(series, len(candidates))):
            previous = base.contact
            for _ in range(rng.choice([1, 1, 2, 3])):
                started = previous.started_at + datetime.timedelta(
                    days=rng.randint(1, 21), hours=rng.randint(-6, 6), minutes=rng.randrange(60)
                )
                if started > self.horizon:
                    break
                topic = previous.topics[0]
                outcome = pick(rng, OUTCOMES.get(topic, OTHER_OUTCOMES))
                if outcome == Out.DROPPED:
                    outcome = Out.ADVICE_GIVEN
                again = copy_contact(
                    previous, started_at=started,
                    ended_at=self._end(started, previous.channel, topic, outcome),
                    outcome=outcome, advice_given=f"{rng.choice(ADVICE[topic])} {DEMO}",
                    notes=f"Called again about the same matter. {DEMO}",
                    follow_up_due=None, follow_up_assignee=None, follow_up_done_at=None,
                    follow_up_note="",
                )
                if again.caller_phone.startswith("+7"):
                    # Written the Russian way this time: the same number, the same index.
                    set_phone(again, "8" + again.caller_phone[2:], region="RU")
                self._follow_up(again)
                added.append(Draft(again))
                previous = again
        return added

    # --- the follow-up queue -------------------------------------------------

    def fill_queue(self, drafts: list[Draft], *, overdue: int, upcoming: int) -> None:
        """Make sure the demo operator's queue shows overdue and upcoming items."""
        mine = [d.contact for d in drafts if d.contact.follow_up_assignee == self.operator]
        late = [c for c in mine if c.follow_up_done_at is None
                and c.follow_up_due is not None and c.follow_up_due < self.today]
        recent_done = sorted(
            (c for c in mine if c.follow_up_done_at is not None and c.follow_up_due is not None
             and self.today - datetime.timedelta(days=21) <= c.follow_up_due < self.today),
            key=lambda c: c.started_at, reverse=True,
        )
        for contact in recent_done[: max(0, overdue - len(late))]:
            contact.follow_up_done_at = None
            contact.follow_up_note = ""
        ahead = [c for c in mine if c.follow_up_due is not None and c.follow_up_due >= self.today]
        fresh = sorted(
            (d.contact for d in drafts if d.contact.follow_up_due is None
             and d.contact.outcome != Out.DROPPED and d.contact.operator == self.operator
             and P.RESCUE_REQUEST in d.contact.topics),
            key=lambda c: c.started_at, reverse=True,
        )
        for contact in fresh[: max(0, upcoming - len(ahead))]:
            contact.follow_up_due = self.today + datetime.timedelta(days=self.rng.randint(1, 3))
            contact.follow_up_assignee = self.operator


def set_phone(contact: Contact, raw: str, *, region: str) -> None:
    """The phone as ``contact_log`` stores it: E.164, with its blind index."""
    contact.caller_phone = to_e164(raw, region=region)
    contact.caller_phone_index = phone_index(contact.caller_phone)


def mark_done(contact: Contact, rng: random.Random, *, horizon: datetime.datetime) -> None:
    assert contact.follow_up_due is not None  # noqa: S101 - set by the caller
    done = datetime.datetime.combine(
        contact.follow_up_due, datetime.time(rng.randint(9, 18), rng.randrange(60)),
        tzinfo=ZoneInfo("Europe/Moscow"),
    ) - datetime.timedelta(days=rng.randint(0, 1))
    contact.follow_up_done_at = min(max(done, contact.started_at), horizon)
    if rng.random() < 0.7:
        contact.follow_up_note = f"{rng.choice(FOLLOW_UP_NOTES)} {DEMO}"


def copy_contact(contact: Contact, **changes: Any) -> Contact:
    values = {
        field.attname: getattr(contact, field.attname)
        for field in Contact._meta.concrete_fields
        if not field.primary_key and field.attname not in ("created_at", "updated_at")
    }
    values["topics"] = list(contact.topics)
    values["indicators"] = list(contact.indicators)
    copy = Contact(**values)
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy
