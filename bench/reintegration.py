"""Reintegration at scale: the referral queues, a referral, a case's
reintegration workspace, the assistance totals, the overdue monitoring list
and the hourly monitoring reminders, with 40 organisations, 20,000 cases,
8,000 referrals, 60,000 ledger entries and 12,000 monitoring reports.
Import only after ``django.setup()``."""

from __future__ import annotations

import dataclasses
import datetime
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.measure import add_weight, progress, signed_in_client, timed
from bench.report import Benchmark, milliseconds
from homeward.accounts.models import Membership, Organisation, OrganisationType, User
from homeward.accounts.roles import Role
from homeward.cases.choices import (
    CaseStatus,
    ConsentDecision,
    ConsentForm,
    ConsentPurpose,
    ReferralSource,
    Step,
)
from homeward.cases.models import Case, Person
from homeward.cases.services import consent_record
from homeward.notifications.models import Notification
from homeward.reintegration.choices import (
    MINIMUM_PARTS,
    AnswerType,
    AssistanceCategory,
    CanReturnHome,
    Currency,
    EntryType,
    GoalArea,
    GoalStatus,
    MonitoringPeriod,
    Need,
    PlanStatus,
    QuestionnaireStatus,
    ReferralPurpose,
    ReferralStatus,
    ReportStatus,
    ReturnBarrier,
    SharedPart,
)
from homeward.reintegration.models import (
    Assessment,
    AssistanceKind,
    Donor,
    Goal,
    LedgerEntry,
    MonitoringReport,
    MonitoringSchedule,
    Plan,
    PlanReview,
    Programme,
    Question,
    Questionnaire,
    Referral,
)
from homeward.reintegration.services.monitoring import (
    PERIOD_MONTHS,
    REMIND_BEFORE_DAYS,
    add_months,
    reminders_send,
)

ORGANISATIONS = 40  # TVAC and SH-YAR of the demo, and 38 synthetic partners
CASES = 20_000
HUB_CASES = 2_000  # of them in TVAC (the hub that refers most)
REFERRALS = 8_000
HUB_SENT = 1_600  # referrals TVAC sends
PARTNER_RECEIVED = 1_200  # referrals the Yaroslavl NGO receives (400 of them from TVAC)
LEDGER = 60_000
LEDGER_DAYS = 3 * 365
REPORTS = 12_000
OVERDUE_SHARE = 0.08  # past reports still not filed
BACKLOG_DAYS = 30  # reminders not sent yet for reports due since then
PAGE_GETS = 9
SERVER_TIME_TARGET = 0.300
QUERY_TARGET = 40
REMINDER_TARGET = 0.050  # per reminder sent: a 1,000-report backlog in < 1 min
REMINDER_IDLE_TARGET = 0.200  # a run with nothing to send
HUB = "TVAC"
PARTNER = "SH-YAR"
HUB_COORDINATOR = "tvaccoordinator"
PARTNER_COORDINATOR = "yarcoordinator"
PARTNER_WORKER = "yaroslavl"
NETWORK_COORDINATOR = "bench-network-coordinator"
WORKSPACE_CASE = "RIB-00000"
STATUSES = [  # (status, share) of the referrals
    (ReferralStatus.PENDING, 15), (ReferralStatus.ACCEPTED, 45),
    (ReferralStatus.DECLINED, 10), (ReferralStatus.REVOKED, 5),
    (ReferralStatus.COMPLETED, 25),
]
UNUSABLE = make_password(None)  # nobody signs in with a password here
# Synthetic free text (encrypted like the real thing; never shown in lists).
MESSAGE = "Просим принять на сопровождение после реабилитации, подробности по телефону."
REASON = "Нет мест до конца квартала."
PURPOSE = "Оплата аренды жилья за месяц"
NARRATIVE = "Встреча в офисе: живёт с детьми, работает, чувствует себя в безопасности."
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@dataclasses.dataclass
class World:
    hub: Organisation
    partner: Organisation
    organisations: list[Organisation]
    coordinators: dict[int, User]  # organisation pk → a coordinator there
    network_coordinator: User
    workspace_case: Case
    detail_referral: Referral
    reminders_due: int  # reports a first reminder run has to remind of


@contextmanager
def _sent_at_settable() -> Iterator[None]:
    """``Referral.sent_at`` is ``auto_now_add``: let the fill spread it over
    three years."""
    field = Referral._meta.get_field("sent_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def _organisations() -> tuple[list[Organisation], Organisation, Organisation]:
    hub = Organisation.objects.get(code=HUB)
    partner = Organisation.objects.get(code=PARTNER)
    synthetic = Organisation.objects.bulk_create([
        Organisation(code=f"RB-{n:02d}", name_en=f"Bench partner NGO {n}",
                     name_ru=f"НКО-партнёр {n}", org_type=OrganisationType.NGO, country="RU",
                     region=f"Bench region {n}", city=f"City {n}", is_coalition_member=True)
        for n in range(ORGANISATIONS - 2)
    ])
    return [hub, partner, *synthetic], hub, partner


def _users(organisations: list[Organisation]) -> tuple[dict[int, User], User]:
    """A coordinator and a reintegration worker in each synthetic organisation
    (the demo ones have theirs), and a coordinator of the whole network."""
    coordinators = {
        organisations[0].pk: User.objects.get(username=HUB_COORDINATOR),
        organisations[1].pk: User.objects.get(username=PARTNER_COORDINATOR),
    }
    synthetic = organisations[2:]
    users = User.objects.bulk_create([
        User(username=f"rb-{organisation.code.lower()}-{role}", password=UNUSABLE,
             email=f"rb-{organisation.code.lower()}-{role}@bench.homeward.invalid")
        for organisation in synthetic for role in ("coordinator", "worker")
    ])
    memberships = []
    for index, organisation in enumerate(synthetic):
        coordinator, worker = users[2 * index], users[2 * index + 1]
        coordinators[organisation.pk] = coordinator
        memberships += [
            Membership(user=coordinator, organisation=organisation, role=Role.COORDINATOR),
            Membership(user=worker, organisation=organisation, role=Role.REINTEGRATION_WORKER),
        ]
    network = User.objects.create(username=NETWORK_COORDINATOR, password=UNUSABLE,
                                  email=f"{NETWORK_COORDINATOR}@bench.homeward.invalid")
    TOTPDevice.objects.create(user=network, name="bench", confirmed=True)
    memberships += [Membership(user=network, organisation=organisation, role=Role.COORDINATOR)
                    for organisation in organisations]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    return coordinators, network


def _cases(organisations: list[Organisation], rng: random.Random) -> dict[int, list[Case]]:
    today = timezone.localdate()
    owners = [organisations[0]] * HUB_CASES + [
        organisations[1 + n % (ORGANISATIONS - 1)] for n in range(CASES - HUB_CASES)
    ]
    persons = Person.objects.bulk_create([
        Person(organisation=owner, birth_year=rng.randint(1970, 2006),
               gender=rng.choice(["Feminine", "Feminine", "Masculine"]),
               citizenships=f",{rng.choice(['RU', 'RU', 'UA', 'KZ', 'UZ'])},")
        for owner in owners
    ], batch_size=1000)
    cases = Case.objects.bulk_create([
        Case(code=f"RIB-{n:05d}", organisation=owner, person=person, status=CaseStatus.ACTIVE,
             step=Step.REHABILITATION, step_since=today,
             opened_on=today - datetime.timedelta(days=LEDGER_DAYS + rng.randint(30, 400)),
             referral_source=ReferralSource.NGO)
        for n, (owner, person) in enumerate(zip(owners, persons, strict=True))
    ], batch_size=1000)
    by_organisation: dict[int, list[Case]] = {}
    for case in cases:
        by_organisation.setdefault(case.organisation_id, []).append(case)
    return by_organisation


def _status(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]


def _referrals(
    organisations: list[Organisation], cases: dict[int, list[Case]],
    coordinators: dict[int, User], rng: random.Random,
) -> list[Referral]:
    """8,000 referrals: 1,600 sent by the hub (400 to the Yaroslavl NGO), 800
    more to the Yaroslavl NGO from elsewhere, the rest between partners."""
    hub, partner = organisations[0], organisations[1]
    now = timezone.now()
    pairs: list[tuple[Organisation, Organisation]] = []
    pairs += [(hub, partner)] * 400
    pairs += [(hub, rng.choice(organisations[2:])) for _ in range(HUB_SENT - 400)]
    pairs += [(rng.choice(organisations[2:]), partner)
              for _ in range(PARTNER_RECEIVED - 400)]
    while len(pairs) < REFERRALS:
        sender, receiver = rng.sample(organisations[2:], 2)
        pairs.append((sender, receiver))
    used: set[tuple[int, int]] = set()
    referrals = []
    for sender, receiver in pairs:
        pool = cases[sender.pk]
        case = rng.choice(pool)
        while (case.pk, receiver.pk) in used:
            case = rng.choice(pool)
        used.add((case.pk, receiver.pk))
        status = _status(rng)
        # Referrals waiting for an answer are recent; the others span 3 years.
        days = rng.randint(0, 30 if status == ReferralStatus.PENDING else LEDGER_DAYS)
        sent = now - datetime.timedelta(days=days, minutes=rng.randint(0, 1440))
        answered = status != ReferralStatus.PENDING
        referrals.append(Referral(
            case=case, sender=sender, receiver=receiver,
            purposes=[rng.choice(ReferralPurpose.values)],
            needs=rng.sample(Need.values, 2), shared_parts=list(MINIMUM_PARTS),
            message=MESSAGE, status=status,
            decline_reason=REASON if status == ReferralStatus.DECLINED else "",
            revoke_reason=REASON if status == ReferralStatus.REVOKED else "",
            answer_due_on=timezone.localdate(sent) + datetime.timedelta(days=7),
            sent_by=coordinators[sender.pk], sent_at=sent,
            answered_by=coordinators[receiver.pk] if answered else None,
            answered_at=sent + datetime.timedelta(days=2) if answered else None,
            revoked_at=sent + datetime.timedelta(days=9)
            if status == ReferralStatus.REVOKED else None,
            completed_at=sent + datetime.timedelta(days=120)
            if status == ReferralStatus.COMPLETED else None,
        ))
    with _sent_at_settable():
        return Referral.objects.bulk_create(referrals, batch_size=1000)


def _catalogue() -> tuple[list[AssistanceKind], list[Programme]]:
    kinds = AssistanceKind.objects.bulk_create([
        AssistanceKind(code=f"bench-{category.lower()}-{n}", category=category,
                       name_ru=f"Помощь {n}", name_en=f"Bench assistance {n}",
                       currency=Currency.EUR)
        for n, category in enumerate(AssistanceCategory.values[:8])
    ])
    donors = Donor.objects.bulk_create([Donor(name=f"Bench donor {n}") for n in range(5)])
    programmes = Programme.objects.bulk_create([
        Programme(code=f"bench-programme-{n}", name_ru=f"Программа {n}",
                  name_en=f"Bench programme {n}", donor=donors[n % len(donors)])
        for n in range(12)
    ])
    return kinds, programmes


def _ledger(
    cases: dict[int, list[Case]], coordinators: dict[int, User], kinds: list[AssistanceKind],
    programmes: list[Programme], workspace_case: Case, rng: random.Random,
) -> None:
    """60,000 entries over 3 years in 3 currencies: grants, payments against
    them, and corrections (5 %) of earlier entries; 60 on the workspace case."""
    today = timezone.localdate()
    currencies = [Currency.EUR, Currency.RUB, Currency.USD]
    corrections = LEDGER // 20
    plain = LEDGER - corrections
    pool = [case for group in cases.values() for case in group[: len(group) * 3 // 10]]
    targets = [workspace_case] * 54 + [rng.choice(pool) for _ in range(plain - 54)]
    entries = []
    for n, case in enumerate(targets):
        approver = coordinators[case.organisation_id]
        currency = currencies[n % 7 % 3]
        entries.append(LedgerEntry(
            case=case, organisation_id=case.organisation_id,
            entry_type=EntryType.GRANT if n % 2 == 0 else EntryType.PAYMENT,
            kind=kinds[n % len(kinds)],
            programme=None if n % 10 == 0 else programmes[n % len(programmes)],
            amount=Decimal(rng.randint(50, 3000)) * (90 if currency == Currency.RUB else 1),
            currency=currency,
            entry_on=today - datetime.timedelta(days=rng.randint(0, LEDGER_DAYS)),
            purpose=PURPOSE, approved_by=approver, paid_by=approver if n % 2 else None,
            recorded_by=approver,
        ))
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    corrected = entries[:6] + rng.sample(entries[6:], corrections - 6)
    LedgerEntry.objects.bulk_create([
        LedgerEntry(
            case=entry.case, organisation_id=entry.organisation_id,
            entry_type=EntryType.CORRECTION, kind=entry.kind, programme=entry.programme,
            amount=-Decimal(10), currency=entry.currency, purpose=PURPOSE,
            entry_on=min(today, entry.entry_on + datetime.timedelta(days=5)),
            approved_by=entry.approved_by, recorded_by=entry.recorded_by, corrects=entry,
        )
        for entry in corrected
    ], batch_size=2000)


def _monitoring(
    organisations: list[Organisation], cases: dict[int, list[Case]],
    coordinators: dict[int, User], workspace_case: Case, rng: random.Random,
) -> int:
    """12,000 reports (schedules of 3, 6 and 12 months) due over four years,
    up to a year ahead. Past reports are filed but for 8 %; those due before
    the last ``BACKLOG_DAYS`` were reminded already, the later ones not yet.
    Returns how many reminders a first run has to send."""
    today = timezone.localdate()
    now = timezone.now()
    soon = today + datetime.timedelta(days=REMIND_BEFORE_DAYS)
    periods = ([MonitoringPeriod.TWELVE_MONTHS] * 1_500 + [MonitoringPeriod.SIX_MONTHS] * 2_000
               + [MonitoringPeriod.THREE_MONTHS] * 2_000)
    rng.shuffle(periods)
    everyone = [case for group in cases.values() for case in group]
    schedules = []
    for n, period in enumerate(periods):
        case = workspace_case if n < 2 else rng.choice(everyone)
        # The monitoring organisation: the case's own, or (1 in 3) a partner.
        monitor = (case.organisation if n % 3 else
                   organisations[1 + n % (ORGANISATIONS - 1)])
        if monitor.pk == case.organisation_id and n % 3 == 0:
            monitor = organisations[0]
        schedules.append(MonitoringSchedule(
            case=case, organisation=monitor, period=period,
            starts_on=today - datetime.timedelta(days=rng.randint(-30, LEDGER_DAYS)),
            assignee=None, created_by=coordinators[case.organisation_id],
        ))
    MonitoringSchedule.objects.bulk_create(schedules, batch_size=2000)
    reports = []
    to_remind = 0
    reminded_until = today - datetime.timedelta(days=BACKLOG_DAYS)
    for schedule in schedules:
        for months in PERIOD_MONTHS[schedule.period]:
            due = add_months(schedule.starts_on, months)
            status = ReportStatus.DUE
            if due < today and rng.random() > OVERDUE_SHARE:
                status = ReportStatus.SUBMITTED
            # Reminded already: due before the backlog window.
            stamp = now if due < reminded_until else None
            if status == ReportStatus.DUE and stamp is None and due <= soon:
                to_remind += 1  # one reminder each: "due soon" or "overdue"
            reports.append(MonitoringReport(
                schedule=schedule, case_id=schedule.case_id,
                organisation_id=schedule.organisation_id, due_on=due, months=months,
                status=status, reminded_before_at=stamp, reminded_overdue_at=stamp,
                contacted_on=due if status == ReportStatus.SUBMITTED else None,
                narrative=NARRATIVE if status == ReportStatus.SUBMITTED else "",
                submitted_at=now if status == ReportStatus.SUBMITTED else None,
            ))
    MonitoringReport.objects.bulk_create(reports, batch_size=2000)
    return to_remind


def _workspace(world_case: Case, partner: Organisation, hub_coordinator: User,
               partner_worker: User) -> Referral:
    """The measured case: a questionnaire, two assessments, a plan with goals
    and reviews, its referral to the Yaroslavl NGO sharing every part (with
    the person's consent on record). Returns that referral."""
    today = timezone.localdate()
    questionnaire = (
        Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by("-version")
        .first()
    )
    if questionnaire is None:
        version = (Questionnaire.objects.order_by("-version").values_list("version", flat=True)
                   .first() or 0) + 1
        questionnaire = Questionnaire.objects.create(
            version=version, status=QuestionnaireStatus.PUBLISHED, title_ru="Анкета",
            title_en="Questionnaire", published_at=timezone.now(),
        )
        Question.objects.bulk_create([
            Question(questionnaire=questionnaire, position=n, key=f"q{n}",
                     text_ru=f"Вопрос {n}", text_en=f"Question {n}",
                     answer_type=AnswerType.LONG_TEXT)
            for n in range(20)
        ])
    keys = list(questionnaire.questions.values_list("key", flat=True))
    for n in range(2):
        Assessment.objects.create(
            case=world_case, organisation=world_case.organisation, questionnaire=questionnaire,
            assessed_on=today - datetime.timedelta(days=200 - 100 * n),
            assessed_by=hub_coordinator, answers=dict.fromkeys(keys, ""),
            can_return_home=CanReturnHome.NO,
            return_barriers=[ReturnBarrier.values[0], ReturnBarrier.values[1]],
        )
    plan = Plan.objects.create(
        case=world_case, status=PlanStatus.ACTIVE, responsible_organisation=partner,
        responsible_worker=partner_worker, target_region="Yaroslavl Oblast",
        summary="Новая жизнь в Ярославле", starts_on=today - datetime.timedelta(days=180),
        next_review_on=today + datetime.timedelta(days=10), created_by=hub_coordinator,
    )
    Goal.objects.bulk_create([
        Goal(plan=plan, area=GoalArea.values[n % len(GoalArea.values)],
             description=f"Цель {n}", target_date=today + datetime.timedelta(days=30 * n),
             status=GoalStatus.IN_PROGRESS, position=n)
        for n in range(8)
    ])
    PlanReview.objects.bulk_create([
        PlanReview(plan=plan, reviewed_on=today - datetime.timedelta(days=30 * n),
                   reviewed_by=partner_worker, note=f"Пересмотр {n}")
        for n in range(6)
    ])
    consent_record(
        actor=hub_coordinator, case=world_case, purpose=ConsentPurpose.DATA_SHARING,
        decision=ConsentDecision.GIVEN, decided_on=today, form=ConsentForm.ORAL,
        organisation=partner,
    )
    return Referral.objects.create(
        case=world_case, sender=world_case.organisation, receiver=partner,
        purposes=[ReferralPurpose.values[0]], needs=Need.values[:3],
        shared_parts=SharedPart.values, status=ReferralStatus.ACCEPTED,
        answer_due_on=today - datetime.timedelta(days=150), sent_by=hub_coordinator,
        answered_by=partner_worker, answered_at=timezone.now(), assignee=partner_worker,
    )


def _fill() -> World:
    rng = random.Random(2026)
    with transaction.atomic():
        organisations, hub, partner = _organisations()
        coordinators, network = _users(organisations)
        cases = _cases(organisations, rng)
        workspace_case = next(case for case in cases[hub.pk] if case.code == WORKSPACE_CASE)
        _referrals(organisations, cases, coordinators, rng)
        kinds, programmes = _catalogue()
        _ledger(cases, coordinators, kinds, programmes, workspace_case, rng)
        to_remind = _monitoring(organisations, cases, coordinators, workspace_case, rng)
        hub_coordinator = coordinators[hub.pk]
        detail = _workspace(workspace_case, partner, hub_coordinator,
                            User.objects.get(username=PARTNER_WORKER))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return World(hub=hub, partner=partner, organisations=organisations,
                 coordinators=coordinators, network_coordinator=network,
                 workspace_case=workspace_case, detail_referral=detail,
                 reminders_due=to_remind)


def _measure_page(bench: Benchmark, name: str, client: Client, path: str) -> None:
    """Weight, query count and median server time of one page."""
    response = client.get(path)
    if response.status_code != 200:
        bench.add(f"{name}: GET", "HTTP 200", f"HTTP {response.status_code}", False)
        return
    add_weight(bench, name, client, response)

    def get() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered HTTP {response.status_code}")

    with CaptureQueriesContext(connection) as queries:
        html = client.get(path).content.decode()
    rows = max(html.count("<tr") - html.count("<thead"), 0)
    bench.add(f"{name}: SQL queries", f"≤ {QUERY_TARGET}, whatever the rows",
              f"{len(queries)} ({rows} table rows on the page)", len(queries) <= QUERY_TARGET)
    get()
    seconds = statistics.median(timed(get) for _ in range(PAGE_GETS))
    bench.add(f"{name}: server time", f"≤ {SERVER_TIME_TARGET * 1000:.0f} ms",
              milliseconds(seconds), seconds <= SERVER_TIME_TARGET)


def _reminders_run(now: datetime.datetime) -> tuple[dict[str, int], float, int]:
    """One run: (counts per kind, seconds, e-mails sent)."""
    mail.outbox = []
    start = time.perf_counter()
    counts = reminders_send(now=now)
    seconds = time.perf_counter() - start
    return counts, seconds, len(mail.outbox)


def _bench_reminders(bench: Benchmark, world: World) -> None:
    now = timezone.now()
    before = Notification.objects.count()
    with override_settings(EMAIL_BACKEND=LOCMEM):
        first, seconds, emails = _reminders_run(now)
        notified = Notification.objects.count() - before
        again, idle, emails_again = _reminders_run(now + datetime.timedelta(hours=1))
    reminders = sum(first.values())
    each = seconds / reminders if reminders else seconds
    bench.add(
        f"`reminders_send`: first run over {BACKLOG_DAYS} days of backlog",
        f"{world.reminders_due} reminders, ≤ {REMINDER_TARGET * 1000:.0f} ms each",
        f"{first.get('due_soon', 0)} due soon + {first.get('overdue', 0)} overdue in "
        f"{milliseconds(seconds)} ({milliseconds(each)} each; {notified} notifications, "
        f"{emails} e-mails)",
        reminders == world.reminders_due and each <= REMINDER_TARGET,
    )
    bench.add(
        "`reminders_send`: the next hourly run",
        f"sends nothing, ≤ {REMINDER_IDLE_TARGET * 1000:.0f} ms",
        f"{sum(again.values())} reminders, {emails_again} e-mails in {milliseconds(idle)}",
        not any(again.values()) and not emails_again and idle <= REMINDER_IDLE_TARGET,
    )


def bench_reintegration() -> Benchmark:
    progress(f"writing {ORGANISATIONS} organisations, {CASES:,} cases, {REFERRALS:,} "
             f"referrals, {LEDGER:,} ledger entries and {REPORTS:,} monitoring reports")
    world = _fill()
    bench = Benchmark(
        "Reintegration at scale",
        f"{ORGANISATIONS} organisations (the demo TVAC and Yaroslavl NGO and "
        f"{ORGANISATIONS - 2} synthetic partners) with {CASES:,} cases ({HUB_CASES:,} in "
        f"TVAC), {REFERRALS:,} referrals between them ({HUB_SENT:,} sent by TVAC, "
        f"{PARTNER_RECEIVED:,} received by the Yaroslavl NGO; 15 % waiting, 45 % accepted), "
        f"{LEDGER:,} ledger entries over 3 years in 3 currencies (12 programmes of 5 donors, "
        f"5 % corrections) and {REPORTS:,} monitoring reports (3-, 6- and 12-month schedules, "
        f"{OVERDUE_SHARE:.0%} of past reports not filed). Page times: Django's test `Client`, "
        f"median of {PAGE_GETS} GETs after 2 warm-ups; SQL queries counted on one GET. "
        "The queues as the Yaroslavl coordinator (incoming) and the TVAC coordinator "
        "(outgoing); the referral (sharing every part, consent on record) and the "
        f"workspace of case {WORKSPACE_CASE} (2 assessments, a plan with 8 goals and 6 "
        "reviews, 60 ledger entries, 2 monitoring schedules) from both sides; the totals "
        f"over all {LEDGER:,} entries as a coordinator of all {ORGANISATIONS} "
        "organisations; the overdue list as the TVAC coordinator and network-wide. "
        f"Query target: at most {QUERY_TARGET} per page whatever the number of rows shown "
        "(no query per row). `reminders_send` is called directly (e-mails to the in-memory "
        f"backend) over the reports due in the last {BACKLOG_DAYS} days or the next "
        f"{REMIND_BEFORE_DAYS} that were not reminded of yet (older ones were), then again "
        "an hour later; the budget per reminder keeps a 1,000-report backlog under a "
        "minute of the hourly job.",
    )
    hub_client = signed_in_client(world.coordinators[world.hub.pk])
    partner_client = signed_in_client(world.coordinators[world.partner.pk])
    worker_client = signed_in_client(User.objects.get(username=PARTNER_WORKER))
    network_client = signed_in_client(world.network_coordinator)
    queues = reverse("reintegration:referral-list")
    detail = reverse("reintegration:referral-detail", kwargs={"pk": world.detail_referral.pk})
    workspace = reverse("reintegration:case-reintegration",
                        kwargs={"code": world.workspace_case.code})
    totals = reverse("reintegration:totals")
    overdue = reverse("reintegration:overdue")
    pages = [
        ("Incoming referrals (Yaroslavl NGO)", partner_client, f"{queues}?box=in"),
        ("Incoming referrals waiting for an answer", partner_client,
         f"{queues}?box=in&status={ReferralStatus.PENDING}"),
        ("Outgoing referrals (TVAC)", hub_client, f"{queues}?box=out"),
        ("Referral, receiving side (shared view)", worker_client, detail),
        ("Referral, sending side", hub_client, detail),
        ("Case reintegration workspace, case side", hub_client, workspace),
        ("Case reintegration workspace, receiving side", worker_client, workspace),
        ("Totals by programme, all entries", network_client, f"{totals}?group_by=programme"),
        ("Totals by month, all entries", network_client, f"{totals}?group_by=month"),
        ("Overdue monitoring (TVAC coordinator)", hub_client, overdue),
        ("Overdue monitoring (whole network)", network_client, overdue),
    ]
    for name, client, path in pages:
        _measure_page(bench, name, client, path)
    _bench_reminders(bench, world)
    return bench
