"""The issue's two journeys, walked in a real Chromium as a case worker would:
signing in with a password and an authenticator code, following links and
buttons, filling forms by their visible labels and reading what the pages say.

1. In Russian: a referral from the IOM mission in Turkey about a young woman
   held in Istanbul — the intake wizard, her rescue by the Turkish task force,
   a new travel document from the consulate and her arrival at Sheremetyevo
   with an escort.
2. A 16-year-old: the medical tab stays locked until the guardian (the city's
   social support department) has consented; and, separately, the emergency
   override with its audit entry and the coordinator's e-mail.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_device,
)
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.models import Case, MedicalExam
from homeward.cases.tests.factories import open_minor_case
from homeward.core.tests.browser import BrowserSession, save_screenshot, sign_in, totp_code
from homeward.directory.models import Entry, EntryKind, Visibility
from homeward.directory.services import entry_create

pytestmark = pytest.mark.browser

JUSTIFICATION = (
    "Unconscious after an overdose forced on her by the trafficker; "
    "the ambulance doctor says it cannot wait."
)


@dataclasses.dataclass
class World:
    tvac: Organisation
    worker: User
    coordinator: User
    iom_turkey: Entry
    task_force: Entry
    consulate: Entry


def _member(organisation: Organisation, username: str, role: str, **names: str) -> User:
    user = UserFactory.create(username=username, **names)
    MembershipFactory.create(user=user, organisation=organisation, role=role)
    totp_device(user)
    return user


def _entry(owner: Organisation, **values: Any) -> Entry:
    return entry_create(actor=None, owner=owner, visibility=Visibility.PUBLIC, **values)


@pytest.fixture
def world(transactional_db: None) -> World:
    tvac = OrganisationFactory.create(
        code="TVAC", name_en="Trafficking Victim Assistance Center",
        name_ru="Центр помощи пострадавшим от торговли людьми", city="Moscow",
    )
    worker = _member(tvac, "anna", Role.CASE_WORKER, first_name="Anna", last_name="Case")
    coordinator = _member(tvac, "coordinator", Role.COORDINATOR, first_name="Irina",
                          last_name="Coordinator", email="coordinator@tvac.example.invalid")
    iom_turkey = _entry(
        tvac, kind=EntryKind.INTERNATIONAL, name_en="IOM Turkey mission",
        name_ru="Миссия МОМ в Турции", country="TR", city="Ankara",
    )
    task_force = _entry(
        tvac, kind=EntryKind.TASK_FORCE, name_en="Istanbul anti-trafficking police task force",
        name_ru="Полиция Стамбула по борьбе с торговлей людьми", country="TR",
        city="Istanbul",
    )
    consulate = _entry(
        tvac, kind=EntryKind.EMBASSY, name_en="Consulate General of Russia in Istanbul",
        name_ru="Генеральное консульство России в Стамбуле", country="TR", city="Istanbul",
    )
    return World(tvac, worker, coordinator, iom_turkey, task_force, consulate)




def _choose(select: Locator, text: str) -> None:
    """Pick the option of a drop-down that reads ``text`` (as a person finds it)."""
    value = select.locator("option", has_text=text).get_attribute("value")
    assert value is not None
    select.select_option(value=value)


def _today() -> str:
    """Today as a date field takes it (the server's calendar)."""
    return timezone.localdate().isoformat()


def _open_minor(world: World) -> Case:
    """A girl of 16, opened by the case worker (the journey starts after intake)."""
    return open_minor_case(
        world.tvac, world.worker, first_name="Дарья", last_name="Вымышленная",
        first_name_latin="Daria", last_name_latin="Vymyshlennaya",
        destination_country="TR", destination_city="Antalya",
    )


def _go_to_case(page: Page, case: Case) -> None:
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Cases")).to_be_visible()
    page.get_by_role("link", name=case.code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.code)


# --- journey 1, in Russian: from the IOM referral to Sheremetyevo ------------------


# The submit button of the case's record forms («Запись»; «Записать» reads better).
RECORD_RU = re.compile(r"^Запис(ь|ать)$")


def __sign_in_in_russian(page: Page, user: User) -> None:
    """Switch the sign-in page to Russian, then password and authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Русский").click()
    expect(page.get_by_role("heading", name="Вход в Homeward")).to_be_visible()
    page.get_by_label(re.compile(r"^Имя пользователя")).fill(user.username)
    page.get_by_label(re.compile(r"^Пароль")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Продолжить", exact=True).click()
    page.get_by_label(re.compile(r"^Код")).fill(totp_code(user))
    page.get_by_role("button", name="Подтвердить", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def test_referral_from_iom_turkey_to_arrival_at_sheremetyevo_in_russian(
    browser_session: BrowserSession, world: World
) -> None:
    page = browser_session.new_page(locale="ru-RU")
    __sign_in_in_russian(page, world.worker)
    world.worker.refresh_from_db()
    assert world.worker.language == "ru"  # the language chosen at sign-in stays

    # The intake wizard: referral, person, situation, consents.
    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Случаи", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1, name="Случаи")).to_be_visible()
    page.get_by_role("link", name="Новый случай").click()
    expect(page.get_by_role("heading", level=1, name="Новый случай")).to_be_visible()

    referral = page.locator("[data-wizard-section=referral]")
    expect(referral.get_by_text("1. Направление")).to_be_visible()
    page.get_by_label(re.compile(r"^Источник направления")).select_option(
        label="Миссия МОМ за рубежом"
    )
    _choose(page.get_by_label(re.compile(r"^Направившая организация \(из справочника\)")),
            "Миссия МОМ в Турции")
    page.get_by_label(re.compile(r"^Сотрудник направившей организации")).fill("Ayşe Demir")
    page.get_by_label(re.compile(r"^Содержание направления")).fill(
        "Девушка около 23 лет, удерживается в квартире в Стамбуле; написала сестре."
    )
    referral.get_by_role("button", name="Далее").click()

    person = page.locator("[data-wizard-section=person]")
    expect(person.get_by_text("2. Личные данные")).to_be_visible()
    expect(referral).to_be_hidden()
    page.get_by_label(re.compile(r"^Имя:")).fill("Ольга")
    page.get_by_label(re.compile(r"^Фамилия:")).fill("Воронцова")
    page.get_by_label(re.compile(r"^Имя \(латиницей\)")).fill("Olga")
    page.get_by_label(re.compile(r"^Фамилия \(латиницей\)")).fill("Vorontsova")
    page.get_by_label(re.compile(r"^Год рождения:")).fill(str(timezone.localdate().year - 23))
    page.get_by_label(re.compile(r"^Год рождения указан приблизительно")).check()
    page.get_by_label(re.compile(r"^Пол")).select_option(label="Женский")
    _choose(page.get_by_label(re.compile(r"^Гражданство")), "Россия")
    # The duplicate check has looked through the coalition.
    expect(page.locator("#person-matches")).to_contain_text("В коалиции совпадений не найдено.")
    save_screenshot(page, "journey-ru-intake-person")
    person.get_by_role("button", name="Далее").click()

    situation = page.locator("[data-wizard-section=situation]")
    expect(situation.get_by_text("3. Ситуация")).to_be_visible()
    _choose(page.get_by_label(re.compile(r"^Страна эксплуатации")), "Турция")
    page.get_by_label(re.compile(r"^Город эксплуатации")).fill("Стамбул")
    page.get_by_label("Сексуальная эксплуатация", exact=True).check()
    situation.get_by_role("button", name="Далее").click()

    consents = page.locator("[data-wizard-section=consents]")
    expect(consents.get_by_text("4. Согласия")).to_be_visible()
    page.get_by_label(re.compile(r"^Согласие: Помощь")).select_option(label="Дано")
    page.get_by_label(re.compile(r"^Форма \(Помощь\)")).select_option(label="Устно")
    save_screenshot(page, "journey-ru-intake-consents")
    page.get_by_role("button", name="Открыть случай").click()

    # The case is open, at identification, and known by its code.
    case = Case.objects.get(organisation=world.tvac)
    expect(page.get_by_text(f"Случай {case.code} открыт.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.code)
    path = page.get_by_role("list", name="Этапы случая")
    expect(path.locator("[aria-current=step]")).to_have_text("Идентификация")
    expect(page.get_by_role("region", name="Личные данные")).to_contain_text(
        "Воронцова Ольга (Olga Vorontsova)"
    )
    facts = page.get_by_role("region", name="Случай", exact=True)
    expect(facts).to_contain_text("Миссия МОМ за рубежом — Миссия МОМ в Турции, Ayşe Demir")
    expect(facts).to_contain_text("Сексуальная эксплуатация")
    expect(facts).to_contain_text("Турция, Стамбул")
    save_screenshot(page, "journey-ru-case-opened")

    # Rescue by the Turkish task force.
    tabs = page.get_by_role("navigation", name="Разделы случая")
    tabs.get_by_role("link", name="Освобождение", exact=True).click()
    expect(page.get_by_text("Сведений об освобождении пока нет.")).to_be_visible()
    page.get_by_role("link", name="Записать освобождение").click()
    expect(page.get_by_role("heading", name="Записать освобождение")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Город"))).to_have_value("Стамбул")
    page.get_by_label(re.compile("Полиция Стамбула по борьбе с торговлей людьми")).check()
    page.get_by_label(re.compile(r"^Точное место")).fill("Квартира в районе Эсеньюрт")
    contacted = timezone.localtime() - datetime.timedelta(hours=3)
    page.get_by_label(re.compile(r"^Время обращения")).fill(contacted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile(r"^Результат")).select_option(label="Освобождён(а)")
    save_screenshot(page, "journey-ru-rescue-form")
    page.get_by_role("button", name=RECORD_RU).click()

    expect(page.get_by_text("Освобождение записано.")).to_be_visible()
    expect(path.locator("[aria-current=step]")).to_have_text("Освобождение")
    rescue = page.locator("main section.panel").filter(has_text="К кому обращались")
    expect(rescue.get_by_role("heading", level=3)).to_contain_text("Освобождён(а)")
    expect(rescue).to_contain_text("Полиция Стамбула по борьбе с торговлей людьми")
    expect(rescue).to_contain_text("Квартира в районе Эсеньюрт")
    save_screenshot(page, "journey-ru-rescued")

    # The way home: a new document from the consulate, the flight, the escort.
    tabs.get_by_role("link", name="Репатриация", exact=True).click()
    expect(page.get_by_text("Репатриация пока не записана.")).to_be_visible()
    page.get_by_role("link", name="Записать репатриацию").click()
    expect(page.get_by_role("heading", name="Записать репатриацию")).to_be_visible()
    page.get_by_label(re.compile(r"^Проездной документ")).select_option(
        label="Выдан новый документ"
    )
    _choose(page.get_by_label(re.compile(r"^Консульство или посольство")),
            "Генеральное консульство России в Стамбуле")
    page.get_by_label(re.compile(r"^Дата подачи заявления")).fill(_today())
    page.get_by_label(re.compile(r"^Дата выдачи")).fill(_today())
    page.get_by_label(re.compile(r"^Маршрут")).fill("Стамбул (IST) — Москва (SVO), рейс SU 2131")
    page.get_by_label(re.compile(r"^Дата отправления")).fill(_today())
    page.get_by_label(re.compile(r"^Дата прибытия")).fill(_today())
    page.get_by_label(re.compile(r"^Место прибытия")).fill("Шереметьево, терминал C")
    page.get_by_label(re.compile(r"^Кто встречает")).fill("Социальный работник центра")
    page.get_by_label(re.compile(r"^Сопровождающий")).fill("Мария Светлова")
    page.get_by_label(re.compile(r"^Организация сопровождающего")).fill("Миссия МОМ в Турции")
    page.get_by_label("Родной регион", exact=True).check()
    save_screenshot(page, "journey-ru-repatriation-form")
    page.get_by_role("button", name=RECORD_RU).click()

    expect(page.get_by_text("Репатриация записана.")).to_be_visible()
    expect(path.locator("[aria-current=step]")).to_have_text("Репатриация")
    journey = page.locator("main section.panel").filter(has_text="Проездной документ")
    expect(journey.get_by_role("heading", level=3)).to_contain_text("Прибытие")
    expect(journey.get_by_role("heading", level=3)).to_contain_text("Шереметьево, терминал C")
    expect(journey).to_contain_text("Выдан новый документ")
    expect(journey).to_contain_text("Генеральное консульство России в Стамбуле")
    expect(journey).to_contain_text("Мария Светлова (Миссия МОМ в Турции)")
    save_screenshot(page, "journey-ru-repatriation")

    # The overview's timeline tells the story, newest first.
    tabs.get_by_role("link", name="Обзор", exact=True).click()
    timeline = page.get_by_role("region", name="Хронология")
    entries = timeline.get_by_role("listitem")
    expect(entries.filter(has_text="Прибытие домой")).to_contain_text("Шереметьево, терминал C")
    expect(entries.filter(has_text="Освобождение: Освобождён(а)")).to_contain_text(
        "Стамбул, Турция"
    )
    expect(entries.filter(has_text="Согласие: Помощь — Дано")).to_have_count(1)
    steps = timeline.locator("li.timeline-step")
    expect(steps.locator("strong")).to_have_text(
        ["Репатриация", "Освобождение", "Идентификация"]
    )
    expect(steps.nth(0)).to_contain_text("Миссия МОМ в Турции")  # the escort's organisation
    expect(steps.nth(1)).to_contain_text("Полиция Стамбула по борьбе с торговлей людьми")
    save_screenshot(page, "journey-ru-overview")

    # The case list shows the code, never her name — not even when searched by it.
    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Случаи", exact=True
    ).click()
    table = page.get_by_role("table", name="Случаи")
    expect(table.get_by_role("link", name=case.code)).to_be_visible()
    expect(table).to_contain_text("Репатриация")
    page.get_by_label(re.compile(r"^Код случая или имя")).fill("Воронцова")
    page.get_by_role("button", name="Применить фильтр").click()
    expect(page.get_by_role("status")).to_have_text("1 случай")
    expect(table.get_by_role("link", name=case.code)).to_be_visible()
    save_screenshot(page, "journey-ru-case-list")
    listed = table.inner_text()
    for word in ("Ольга", "Воронцова", "Olga", "Vorontsova"):
        assert word not in listed

    # What she chose on the pages is what was recorded.
    case.refresh_from_db()
    assert case.referring_entry == world.iom_turkey
    assert list(case.rescues.get().contacted.all()) == [world.task_force]
    repatriation = case.repatriations.get()
    assert repatriation.document_authority == world.consulate
    assert repatriation.arrival_on == timezone.localdate()


# --- journey 2: a 16-year-old, medical care waits for the guardian -------------------


def test_minor_medical_tab_unlocks_with_the_guardians_consent(
    browser_page: Page, world: World
) -> None:
    case = _open_minor(world)
    page = browser_page
    sign_in(page, world.worker)
    _go_to_case(page, case)

    banner = page.locator(".minor-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Minor")
    expect(banner).to_contain_text("medical care needs the guardian's consent")
    expect(page.get_by_text("No guardian is recorded for this minor.")).to_be_visible()

    # The medical tab is locked: no form, only the way to unlock it.
    tabs = page.get_by_role("navigation", name="Parts of the case")
    tabs.get_by_role("link", name="Medical", exact=True).click()
    lock = page.locator(".medical-lock")
    expect(lock.get_by_role("heading", name="Medical examinations are locked")).to_be_visible()
    expect(lock).to_contain_text(
        "Medical examinations are locked until a parent, guardian or the city's social "
        "support department gives consent."
    )
    expect(lock).to_contain_text("No parent, guardian or social support department recorded")
    expect(page.get_by_role("link", name="Record an examination")).to_have_count(0)
    save_screenshot(page, "journey-minor-medical-locked")

    # Going straight to the form's address shows the lock again, not a form.
    page.goto(f"/cases/{case.code}/medical/new/")
    expect(page.locator(".medical-lock")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Kind"))).to_have_count(0)
    expect(page.get_by_role("button", name="Record", exact=True)).to_have_count(0)
    assert not MedicalExam.objects.filter(case=case).exists()

    # The guardian: the city's social support department.
    page.locator(".medical-lock").get_by_role("link", name="Record a guardian").click()
    expect(page.get_by_role("heading", name="Record who acts for the child")).to_be_visible()
    page.get_by_label(re.compile(r"^Kind")).select_option(
        label="City social support department"
    )
    page.get_by_label(re.compile(r"^Name")).fill("Svetlana Petrova")
    page.get_by_label(re.compile(r"^Department or authority")).fill(
        "Social support department of Moscow, Tverskoy district"
    )
    page.get_by_label(re.compile(r"^Phone or address")).fill("+7 495 000-00-00")
    page.get_by_role("button", name="Record", exact=True).click()

    # Next comes the consent to medical care, already chosen.
    expect(page.get_by_text("The guardian was recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Record a consent decision")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Purpose"))).to_have_value("Medical")
    page.get_by_label("Given", exact=True).check()
    page.get_by_label(re.compile(r"^Given by")).select_option(
        label="City social support department"
    )
    page.get_by_label(re.compile(r"^Name of who consented")).fill("Svetlana Petrova")
    page.get_by_label("Signed", exact=True).check()
    save_screenshot(page, "journey-minor-guardian-consent")
    page.get_by_role("button", name="Record", exact=True).click()

    # Back on the medical tab: unlocked.
    expect(page.get_by_text("The consent decision was recorded.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Medical")).to_be_visible()
    expect(page.locator(".medical-lock")).to_have_count(0)
    expect(page.get_by_text(re.compile(
        r"Consent to medical examination given on .* by City social support department\."
    ))).to_be_visible()
    page.get_by_role("link", name="Record an examination").click()
    expect(page.get_by_role("heading", name="Record an examination")).to_be_visible()
    page.get_by_label(re.compile(r"^Kind")).select_option(label="Medical screening")
    page.get_by_label(re.compile(r"^Date")).fill(_today())
    page.get_by_label(re.compile(r"^Other clinic")).fill("Children's city polyclinic No. 7")
    page.get_by_label(re.compile(r"^Purpose")).fill("Screening on arrival at the shelter")
    page.get_by_role("button", name="Record", exact=True).click()

    expect(page.get_by_text("The examination was recorded.")).to_be_visible()
    exams = page.get_by_role("table", name="Examinations")
    expect(exams).to_contain_text("Medical screening")
    expect(exams).to_contain_text("Children's city polyclinic No. 7")
    expect(exams.locator(".tag-emergency")).to_have_count(0)
    save_screenshot(page, "journey-minor-medical-unlocked")

    # The overview names the guardian and the consent in force.
    tabs.get_by_role("link", name="Overview").click()
    guardians = page.get_by_role("region", name="Guardians")
    expect(guardians).to_contain_text("City social support department")
    expect(guardians).to_contain_text("Svetlana Petrova")
    consents = page.get_by_role("region", name="Consents")
    expect(consents.locator(".consent-given")).to_contain_text(
        "Medical examination and treatment"
    )
    exam = MedicalExam.objects.get(case=case)
    assert not exam.emergency
    assert not AuditEntry.objects.filter(action=Action.EMERGENCY_OVERRIDE).exists()


def test_emergency_override_for_a_minor_without_consent(
    browser_page: Page, world: World
) -> None:
    case = _open_minor(world)
    page = browser_page
    sign_in(page, world.worker)
    _go_to_case(page, case)
    page.get_by_role("navigation", name="Parts of the case").get_by_role(
        "link", name="Medical", exact=True
    ).click()
    expect(page.locator(".medical-lock")).to_be_visible()
    page.get_by_role("link", name="Emergency — life in danger").click()

    expect(page.get_by_role("heading", name="Emergency — life in danger")).to_be_visible()
    expect(page.get_by_role("note").filter(has_text="Use this only when")).to_contain_text(
        "the organisation's coordinator is notified"
    )
    page.get_by_label(re.compile(r"^Kind")).select_option(label="Treatment")
    page.get_by_label(re.compile(r"^Date")).fill(_today())
    page.get_by_label(re.compile(r"^Other clinic")).fill("City emergency hospital No. 1")
    justification = page.get_by_label(re.compile(r"^Why it cannot wait"))
    # Too short a reason is refused, with nothing recorded.
    justification.fill("Very ill")
    page.get_by_role("button", name="Record the emergency examination").click()
    expect(page.get_by_text(re.compile(r"Explain in writing why the child's life is in danger")))\
        .to_be_visible()
    assert not MedicalExam.objects.filter(case=case).exists()
    justification.fill(JUSTIFICATION)
    save_screenshot(page, "journey-minor-emergency-form")
    page.get_by_role("button", name="Record the emergency examination").click()

    expect(page.get_by_text("The examination was recorded as an emergency.")).to_be_visible()
    exams = page.get_by_role("table", name="Examinations")
    expect(exams).to_contain_text("Treatment")
    expect(exams.locator(".tag-emergency")).to_have_text("Emergency override")
    expect(exams).to_contain_text(JUSTIFICATION)
    # Still locked for anything else: the override was for this one emergency.
    expect(page.locator(".medical-lock")).to_be_visible()
    save_screenshot(page, "journey-minor-emergency-recorded")

    exam = MedicalExam.objects.get(case=case)
    assert exam.emergency
    override = AuditEntry.objects.get(action=Action.EMERGENCY_OVERRIDE)
    assert override.actor_id == world.worker.pk
    assert override.detail["case"] == case.code
    assert override.target_id == str(exam.pk)
    # The live server runs in this process: its locmem outbox is this one.
    assert [message.to for message in mail.outbox] == [[world.coordinator.email]]
    message = mail.outbox[0]
    assert case.code in message.subject
    assert "Дарья" not in message.body
    assert "Daria" not in message.body



def test_minor_medical_tab_unlocks_with_the_guardians_consent_in_russian(
    browser_session: BrowserSession, world: World
) -> None:
    case = _open_minor(world)
    page = browser_session.new_page(locale="ru-RU")
    __sign_in_in_russian(page, world.worker)
    page.goto(f"/cases/{case.code}/")
    expect(page.locator(".minor-banner")).to_contain_text(
        "Несовершеннолетний — младше 18 лет: интересы ребёнка представляет законный "
        "представитель, для медицинской помощи нужно его согласие"
    )
    tabs = page.get_by_role("navigation", name="Разделы случая")
    tabs.get_by_role("link", name="Медицинская помощь", exact=True).click()
    lock = page.locator(".medical-lock")
    expect(lock.get_by_role("heading", name="Медицинские обследования заблокированы"))\
        .to_be_visible()
    expect(lock).to_contain_text(
        "Медицинские обследования заблокированы, пока согласие не даст родитель, опекун или "
        "городской отдел социальной защиты."
    )
    expect(page.get_by_role("link", name="Записать обследование")).to_have_count(0)
    save_screenshot(page, "journey-ru-minor-medical-locked")

    lock.get_by_role("link", name="Указать законного представителя").click()
    expect(page.get_by_role("heading", name="Укажите, кто представляет интересы ребёнка"))\
        .to_be_visible()
    page.get_by_label(re.compile(r"^Тип")).select_option(label="Городской отдел социальной защиты")
    page.get_by_label(re.compile(r"^ФИО")).fill("Светлана Петрова")
    page.get_by_label(re.compile(r"^Отдел или орган")).fill(
        "Отдел социальной защиты района Тверской, Москва"
    )
    page.get_by_role("button", name=RECORD_RU).click()

    expect(page.get_by_text("Законный представитель записан.")).to_be_visible()
    expect(page.get_by_role("heading", name="Записать решение о согласии")).to_be_visible()
    page.get_by_label("Дано", exact=True).check()
    page.get_by_label(re.compile(r"^Кто дал согласие")).select_option(
        label="Городской отдел социальной защиты"
    )
    page.get_by_label(re.compile(r"^ФИО давшего согласие")).fill("Светлана Петрова")
    page.get_by_label("Письменно", exact=True).check()
    page.get_by_role("button", name=RECORD_RU).click()

    expect(page.get_by_text("Решение о согласии записано.")).to_be_visible()
    expect(page.locator(".medical-lock")).to_have_count(0)
    page.get_by_role("link", name="Записать обследование").click()
    page.get_by_label(re.compile(r"^Тип")).select_option(label="Медицинское обследование")
    page.get_by_label(re.compile(r"^Дата")).fill(_today())
    page.get_by_label(re.compile(r"^Другое медицинское учреждение")).fill(
        "Детская городская поликлиника № 7"
    )
    page.get_by_role("button", name=RECORD_RU).click()

    expect(page.get_by_text("Обследование записано.")).to_be_visible()
    exams = page.get_by_role("table", name="Обследования")
    expect(exams).to_contain_text("Медицинское обследование")
    expect(exams).to_contain_text("Детская городская поликлиника № 7")
    save_screenshot(page, "journey-ru-minor-medical-unlocked")
