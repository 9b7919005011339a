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
from homeward.core.tests.browser import BrowserSession, save_screenshot, totp_code
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


def _sign_in(page: Page, user: User) -> None:
    """Through the real sign-in page: password, then the authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^User name")).fill(user.username)
    page.get_by_label(re.compile(r"^Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label(re.compile(r"^Code")).fill(totp_code(user))
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def _choose(select: Locator, text: str) -> None:
    """Pick the option of a drop-down that reads ``text`` (as a person finds it)."""
    value = select.locator("option", has_text=text).get_attribute("value")
    assert value is not None
    select.select_option(value=value)


def _days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


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


# --- journey 2: a 16-year-old, medical care waits for the guardian -------------------


def test_minor_medical_tab_unlocks_with_the_guardians_consent(
    browser_page: Page, world: World
) -> None:
    case = _open_minor(world)
    page = browser_page
    _sign_in(page, world.worker)
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
    page.get_by_label(re.compile(r"^Date")).fill(_days_ago(0))
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
    browser_session: BrowserSession, browser_page: Page, world: World
) -> None:
    case = _open_minor(world)
    page = browser_page
    _sign_in(page, world.worker)
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
    page.get_by_label(re.compile(r"^Date")).fill(_days_ago(0))
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


# --- journey 1 (development copy in English) ---------------------------------------


def test_dev_journey_one(browser_session: BrowserSession, world: World) -> None:
    page = browser_session.new_page()
    _sign_in(page, world.worker)
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="New case").click()

    referral = page.locator("[data-wizard-section=referral]")
    expect(referral).to_be_visible()
    page.get_by_label(re.compile(r"^Referral source")).select_option(label="IOM mission abroad")
    _choose(page.get_by_label(re.compile(r"^Referring organisation \(directory\)")),
            "IOM Turkey mission")
    page.get_by_label(re.compile(r"^Referring case worker")).fill("Ayşe Demir")
    page.get_by_label(re.compile(r"^What the referral says")).fill(
        "A young woman, about 23, held in a flat in Istanbul; she wrote to her sister."
    )
    referral.get_by_role("button", name="Next").click()

    person = page.locator("[data-wizard-section=person]")
    expect(person).to_be_visible()
    page.get_by_label(re.compile(r"^First name:")).fill("Ольга")
    page.get_by_label(re.compile(r"^Surname:")).fill("Воронцова")
    page.get_by_label(re.compile(r"^First name \(Latin\)")).fill("Olga")
    page.get_by_label(re.compile(r"^Surname \(Latin\)")).fill("Vorontsova")
    page.get_by_label(re.compile(r"^Year of birth:")).fill(str(timezone.localdate().year - 23))
    page.get_by_label(re.compile(r"^Year of birth is an estimate")).check()
    page.get_by_label(re.compile(r"^Gender")).select_option(label="Female")
    _choose(page.get_by_label(re.compile(r"^Citizenship")), "Russia")
    expect(page.locator("#person-matches")).to_contain_text("No")
    person.get_by_role("button", name="Next").click()

    situation = page.locator("[data-wizard-section=situation]")
    expect(situation).to_be_visible()
    _choose(page.get_by_label(re.compile(r"^Country of exploitation")), "Türkiye")
    page.get_by_label(re.compile(r"^City of exploitation")).fill("Istanbul")
    page.get_by_label("Sexual exploitation", exact=True).check()
    situation.get_by_role("button", name="Next").click()

    expect(page.locator("[data-wizard-section=consents]")).to_be_visible()
    page.get_by_label(re.compile(r"^Consent: Assistance")).select_option(label="Given")
    page.get_by_label(re.compile(r"^How \(Assistance\)")).select_option(label="Oral")
    save_screenshot(page, "dev-intake-consents")
    page.get_by_role("button", name="Open the case").click()
    case = Case.objects.get()
    expect(page.get_by_text(f"Case {case.code} was opened.")).to_be_visible()
    save_screenshot(page, "dev-overview")

    tabs = page.get_by_role("navigation", name="Parts of the case")
    path = page.get_by_role("list", name="Path of the case")
    expect(path.locator("[aria-current=step]")).to_have_text("Identification")
    tabs.get_by_role("link", name="Rescue", exact=True).click()
    expect(page.get_by_text("No rescue recorded yet.")).to_be_visible()
    page.get_by_role("link", name="Record a rescue").click()
    expect(page.get_by_role("heading", name="Record a rescue")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^City"))).to_have_value("Istanbul")
    page.get_by_label(re.compile("Istanbul anti-trafficking police task force")).check()
    page.get_by_label(re.compile(r"^Exact location")).fill("A flat in Esenyurt")
    contacted = timezone.localtime() - datetime.timedelta(hours=3)
    page.get_by_label(re.compile(r"^Contacted at")).fill(contacted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile(r"^Outcome")).select_option(label="Rescued")
    save_screenshot(page, "dev-rescue-form")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_text("The rescue was recorded.")).to_be_visible()
    expect(path.locator("[aria-current=step]")).to_have_text("Rescue")
    save_screenshot(page, "dev-rescue")

    tabs.get_by_role("link", name="Repatriation", exact=True).click()
    page.get_by_role("link", name="Record a repatriation").click()
    page.get_by_label(re.compile(r"^Travel document")).select_option(label="New document issued")
    _choose(page.get_by_label(re.compile(r"^Consulate or embassy")), "Consulate General")
    page.get_by_label(re.compile(r"^Applied on")).fill(_days_ago(0))
    page.get_by_label(re.compile(r"^Issued on")).fill(_days_ago(0))
    page.get_by_label(re.compile(r"^Itinerary")).fill("Istanbul (IST) — Moscow (SVO)")
    page.get_by_label(re.compile(r"^Departure")).fill(_days_ago(0))
    page.get_by_label(re.compile(r"^Arrival:")).fill(_days_ago(0))
    page.get_by_label(re.compile(r"^Arrival place")).fill("Sheremetyevo, terminal C")
    page.get_by_label(re.compile(r"^Met by")).fill("TVAC social worker")
    page.get_by_label(re.compile(r"^Escort:")).fill("Maria Svetlova")
    page.get_by_label(re.compile(r"^Escort's organisation")).fill("IOM Turkey")
    page.get_by_label("Home region", exact=True).check()
    save_screenshot(page, "dev-repatriation-form")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_text("The repatriation was recorded.")).to_be_visible()
    expect(path.locator("[aria-current=step]")).to_have_text("Repatriation")
    save_screenshot(page, "dev-repatriation")
    tabs.get_by_role("link", name="Overview", exact=True).click()
    save_screenshot(page, "dev-overview-end")
    page.get_by_role("link", name="Cases", exact=True).first.click()
    save_screenshot(page, "dev-list")
