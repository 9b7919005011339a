"""Demo reintegration: the coalition's reference data and one invented
journey after rehabilitation, so that the reintegration pages have
something to show.

* Directory entries describe the Homeward organisations they stand for
  (``Entry.organisation``), so a referral can pick TVAC, the Astrakhan and
  Yaroslavl NGOs or IOM Moscow from the directory.
* The pre-integration questionnaire, version 1, published: the questions
  IOM Moscow's rehabilitation staff ask before a person leaves (family
  support, where to live, education and skills, documents and property,
  health, children, income and debts, safety), in Russian and English. The
  reasons a person cannot go home are the assessment's own structured
  fields, not questions.
* The assistance catalogue of the seed documents: standard cash support —
  150 EUR for Russian nationals, 50 EUR for others, +350 EUR for mothers
  with small children, as three eligibility rules (data, not code) —, a new
  life in a chosen region for up to 6 months, vocational training and
  education grants, documents and property rights, medical help, housing
  costs, clothing and equipment for a small business. Only the standard
  cash has an amount in the seeds; the other kinds have none by default.
* The donors and programmes the seeds name.
* One invented woman (her surname means "fiction") whom TVAC referred to
  Angel Oratorium in Astrakhan after rehabilitation: her family in Dagestan
  refuses her, so she builds a new life in Astrakhan with her two small
  children. The assessment, the referral (accepted), Astrakhan's plan with
  goals and reviews, the ledger (grants, payments and one correction) and
  six months of monitoring: the 3-month report filed, the 6-month one
  overdue. A second invented woman's referral to the Yaroslavl safe house
  waits for its answer (sign in as ``yaroslavl``).
* The reminders' schedule row for the worker.

Everything is written through the services (audited) except the reference
data, which is created as rows with an audit entry each, like the demo
organisations. Used by ``homeward seed-demo`` after the organisations,
users, directory and cases exist; refuses to run in production.
Idempotent: what exists is left alone; the journeys only when TVAC has sent
no reintegration referral yet.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from homeward.accounts.demo import DemoRefused
from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action, audit_record
from homeward.cases import services as case_services
from homeward.cases.choices import (
    ConsentDecision,
    ConsentForm,
    ConsentPurpose,
    ReferralSource,
)
from homeward.cases.demo import DEMO_CASE_WORKER, DEMO_ORGANISATION, INVENTED
from homeward.cases.models import Case
from homeward.directory import services as directory_services
from homeward.directory.models import Entry
from homeward.reintegration.choices import (
    AnswerType,
    AssistanceCategory,
    CanReturnHome,
    ContactMode,
    Currency,
    EntryType,
    GoalArea,
    GoalStatus,
    LivingSituation,
    MonitoringOutcome,
    MonitoringPeriod,
    Need,
    QuestionnaireStatus,
    ReferralPurpose,
    ReferralReason,
    ReportStatus,
    ReturnBarrier,
    RuleCondition,
    RuleMode,
    SharedPart,
    WorkSituation,
)
from homeward.reintegration.models import (
    AssistanceKind,
    Donor,
    EligibilityRule,
    MonitoringReport,
    Programme,
    Question,
    Questionnaire,
    Referral,
)

DEMO_COORDINATOR = "tvaccoordinator"  # approves TVAC's grants and payments
PARTNER_WORKER = "reintegration"  # Angel Oratorium, Astrakhan
REMINDERS_KIND = "reintegration.reminders"

# --- directory entries of the Homeward organisations -------------------------------

# organisation code → English name of the directory entry that describes it
# (directory/demo.py); the St Petersburg safe houses have no entry of their own.
ENTRY_OF: dict[str, str] = {
    "TVAC": "Trafficking Victim Assistance Center (TVAC)",
    "AC-MOW": "Angel Coalition, Moscow",
    "MIRAMED": "MiraMed Institute",
    "PCC-SPB": "Psychological Crisis Center, St Petersburg",
    "AO-AST": "Angel Oratorium, Astrakhan",
    "IOM-MOW": "IOM Moscow",
    "SH-KZN": "Safe house, Kazan",
    "SH-PTZ": "Safe house, Petrozavodsk",
    "SH-MMK": "Safe house, Murmansk",
    "SH-IKT": "Safe house, Irkutsk",
    "SH-CHE": "Safe house, Chelyabinsk",
    "SH-YAR": "Safe house, Yaroslavl",
    "SH-NNV": "Safe house, Nizhny Novgorod",
}

# --- the questionnaire --------------------------------------------------------------


def _options(*items: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"key": key, "en": en, "ru": ru} for key, en, ru in items]


# key, answer type, English, Russian, options, required
QUESTIONS: list[tuple[str, str, str, str, list[dict[str, str]], bool]] = [
    ("wants_assistance", AnswerType.YES_NO,
     "Does she or he ask for reintegration assistance?",
     "Просит ли человек помощь в реинтеграции?", [], True),
    ("family_support", AnswerType.SINGLE_CHOICE,
     "Will the family support her or his return?",
     "Поддержит ли семья возвращение?", _options(
         ("yes", "Yes", "Да"), ("partly", "Partly", "Частично"),
         ("no", "No, the family refuses", "Нет, семья отказывается"),
         ("no_family", "No family", "Семьи нет")), True),
    ("wished_region", AnswerType.SHORT_TEXT,
     "Where does she or he want to live?", "Где человек хочет жить?", [], False),
    ("housing", AnswerType.SINGLE_CHOICE,
     "Where can she or he live at first?", "Где человек сможет жить на первых порах?",
     _options(("family", "With family", "С семьёй"),
              ("own", "Own or rented housing", "Своё или съёмное жильё"),
              ("friends", "With friends", "У друзей"),
              ("none", "Nowhere", "Негде")), False),
    ("children_in_care", AnswerType.NUMBER,
     "How many children are in her or his care?", "Сколько детей на попечении?", [], False),
    ("education", AnswerType.SINGLE_CHOICE, "Education", "Образование", _options(
        ("none", "None or primary", "Нет или начальное"),
        ("basic", "Basic general", "Основное общее"),
        ("secondary", "Secondary", "Среднее"),
        ("vocational", "Vocational", "Среднее профессиональное"),
        ("higher", "Higher", "Высшее")), False),
    ("skills", AnswerType.MULTIPLE_CHOICE,
     "Skills and work experience", "Навыки и опыт работы", _options(
         ("sewing", "Sewing", "Шитьё"), ("cooking", "Cooking", "Кулинария"),
         ("hairdressing", "Hairdressing and beauty", "Парикмахерское дело"),
         ("computer", "Computer and office work", "Компьютер и офисная работа"),
         ("trade", "Trade", "Торговля"), ("care", "Care work", "Уход за людьми"),
         ("farming", "Farming", "Сельское хозяйство")), False),
    ("wants_training", AnswerType.YES_NO,
     "Does she or he want vocational training or education?",
     "Хочет ли человек получить профессию или образование?", [], False),
    ("missing_documents", AnswerType.MULTIPLE_CHOICE,
     "Which documents must be re-issued?", "Какие документы нужно восстановить?", _options(
         ("passport", "Internal passport", "Паспорт гражданина РФ"),
         ("foreign_passport", "Passport for travel abroad", "Заграничный паспорт"),
         ("birth_certificate", "Birth certificate", "Свидетельство о рождении"),
         ("children_documents", "Children's documents", "Документы детей"),
         ("property", "Property documents", "Документы на собственность")), False),
    ("property_rights", AnswerType.YES_NO,
     "Are there property rights to re-establish?",
     "Нужно ли восстановить права на собственность?", [], False),
    ("income", AnswerType.SINGLE_CHOICE,
     "Source of income after leaving", "Источник дохода после выхода", _options(
         ("none", "None yet", "Пока нет"), ("work", "Work", "Работа"),
         ("benefits", "Benefits or pension", "Пособия или пенсия"),
         ("family", "Family", "Семья")), False),
    ("debts", AnswerType.YES_NO,
     "Are there debts or pressure to repay?", "Есть ли долги или давление с требованием "
     "вернуть деньги?", [], False),
    ("health_needs", AnswerType.LONG_TEXT,
     "Health needs after rehabilitation", "Потребности в лечении после реабилитации", [],
     False),
    ("psychologist", AnswerType.LONG_TEXT,
     "Recommendations of the rehabilitation centre's psychologist",
     "Рекомендации психолога реабилитационного центра", [], False),
    ("safety", AnswerType.LONG_TEXT,
     "Safety concerns (traffickers or recruiters in the home region)",
     "Угрозы безопасности (торговцы людьми или вербовщики в родном регионе)", [], False),
    ("ready_on", AnswerType.DATE,
     "Ready to leave rehabilitation on", "Готов(а) покинуть реабилитацию", [], False),
]

# --- the catalogue ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class KindSpec:
    code: str
    category: str
    name_en: str
    name_ru: str
    description_en: str = ""
    description_ru: str = ""
    default_amount: Decimal | None = None
    max_months: int | None = None


STANDARD_CASH = "standard-cash"
NEW_LIFE = "new-life-in-region"
VOCATIONAL = "vocational-training-grant"

KINDS: list[KindSpec] = [
    KindSpec(STANDARD_CASH, AssistanceCategory.CASH, "Standard cash support",
             "Стандартная денежная помощь",
             "Part of the standard aid package: 150 EUR for Russian nationals, 50 EUR for "
             "others; mothers with small children receive 350 EUR more.",
             "Часть стандартного пакета помощи: 150 евро гражданам России, 50 евро остальным; "
             "матерям с маленькими детьми — ещё 350 евро.",
             default_amount=Decimal("150.00")),
    KindSpec(NEW_LIFE, AssistanceCategory.NEW_LIFE_REGION, "New life in a chosen region",
             "Новая жизнь в выбранном регионе",
             "Through the partner NGO in the region: temporary housing, basic needs, food, "
             "transport and training for a profession, usually for up to 6 months.",
             "Через НКО-партнёра в регионе: временное жильё, базовые нужды, питание, проезд и "
             "обучение профессии, обычно до 6 месяцев.", max_months=6),
    KindSpec(VOCATIONAL, AssistanceCategory.VOCATIONAL_TRAINING, "Vocational training grant",
             "Грант на профессиональное обучение",
             "Professional training and paid classes.",
             "Профессиональное обучение и оплата занятий."),
    KindSpec("education-grant", AssistanceCategory.EDUCATION, "Education grant",
             "Грант на образование"),
    KindSpec("documents-property", AssistanceCategory.DOCUMENTS,
             "Documents and property rights", "Документы и права собственности",
             "Re-filing for documents and re-establishing rights of private property.",
             "Восстановление документов и прав частной собственности."),
    KindSpec("medical-help", AssistanceCategory.MEDICAL, "Medical help", "Медицинская помощь",
             "Additional medical assistance in the early stages of resettlement.",
             "Дополнительная медицинская помощь на первом этапе обустройства."),
    KindSpec("housing-costs", AssistanceCategory.HOUSING, "Housing costs",
             "Оплата жилья",
             "Housing expenses for the first period in the chosen place.",
             "Расходы на жильё в первое время на новом месте."),
    KindSpec("clothing", AssistanceCategory.CLOTHING, "Clothing and shoes",
             "Одежда и обувь"),
    KindSpec("business-equipment", AssistanceCategory.BUSINESS_EQUIPMENT,
             "Equipment for a small business", "Оборудование для малого бизнеса"),
]

# The standard cash rule as data: (position, condition, country, mode, amount).
STANDARD_CASH_RULES: list[tuple[int, str, str, str, Decimal]] = [
    (1, RuleCondition.CITIZEN_OF, "RU", RuleMode.BASE, Decimal("150.00")),
    (2, RuleCondition.NOT_CITIZEN_OF, "RU", RuleMode.BASE, Decimal("50.00")),
    (3, RuleCondition.MOTHER_WITH_SMALL_CHILDREN, "", RuleMode.SUPPLEMENT, Decimal("350.00")),
]

DONORS = ["European Commission", "U.S. Department of State", "Government of Switzerland"]
# code, English, Russian, donor
PROGRAMMES: list[tuple[str, str, str, str]] = [
    ("prevention-ru", "Prevention of Human Trafficking in the Russian Federation",
     "Предотвращение торговли людьми в Российской Федерации", "European Commission"),
    ("safe-houses", "Support to regional safe houses", "Поддержка региональных убежищ",
     "U.S. Department of State"),
    ("rehabilitation-center", "IOM Rehabilitation Center", "Реабилитационный центр МОМ",
     "Government of Switzerland"),
]

# --- the invented persons -----------------------------------------------------------

ASTRAKHAN_PERSON: dict[str, Any] = {
    "first_name": "Зарина", "last_name": "Вымыслова",
    "first_name_latin": "Zarina", "last_name_latin": "Vymyslova",
    "gender": "Feminine", "primary_language": "ru", "citizenships": ["RU"],
    "origin_country": "RU", "origin_region": "Republic of Dagestan",
    "number_of_children": 2, "children_accompanying": 2,
}
YAROSLAVL_PERSON: dict[str, Any] = {
    "first_name": "Алина", "last_name": "Побаскина",
    "first_name_latin": "Alina", "last_name_latin": "Pobaskina",
    "gender": "Feminine", "primary_language": "ru", "citizenships": ["RU"],
    "origin_country": "RU", "origin_region": "Yaroslavl Oblast",
}


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour),
                                     tzinfo=timezone.get_current_timezone())


def _birth_date(age: int) -> datetime.date:
    today = timezone.localdate()
    return datetime.date(today.year - age - 1, today.month, min(today.day, 28)) + (
        datetime.timedelta(days=60))


# --- reference data -----------------------------------------------------------------


def link_directory_entries() -> int:
    """Point each demo organisation's directory entry at the organisation
    (only where the entry describes none yet); returns how many changed."""
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=ENTRY_OF)}
    linked = 0
    for code, name_en in ENTRY_OF.items():
        organisation = organisations.get(code)
        entry = Entry.objects.filter(name_en=name_en, country="RU",
                                     organisation__isnull=True).first()
        if organisation is None or entry is None:
            continue
        if Entry.objects.filter(organisation=organisation).exists():
            continue
        directory_services.entry_update(actor=None, entry=entry, organisation=organisation)
        linked += 1
    return linked


def _questionnaire(author: User | None) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(version=1).first()
    if questionnaire is not None:
        return questionnaire
    questionnaire = Questionnaire.objects.create(
        version=1, status=QuestionnaireStatus.PUBLISHED,
        title_en="Pre-integration assessment", title_ru="Предынтеграционная оценка",
        created_by=author, published_at=timezone.now(),
    )
    for position, (key, answer_type, text_en, text_ru, options, required) in enumerate(
        QUESTIONS, start=1
    ):
        Question.objects.create(
            questionnaire=questionnaire, position=position, key=key, answer_type=answer_type,
            text_en=text_en, text_ru=text_ru, options=options, required=required,
        )
    audit_record(action=Action.CREATE, target=questionnaire, detail={"source": "seed-demo"})
    return questionnaire


def _catalogue() -> dict[str, AssistanceKind]:
    kinds: dict[str, AssistanceKind] = {}
    for spec in KINDS:
        kind = AssistanceKind.objects.filter(code=spec.code).first()
        if kind is None:
            kind = AssistanceKind.objects.create(
                code=spec.code, category=spec.category, name_en=spec.name_en,
                name_ru=spec.name_ru, description_en=spec.description_en,
                description_ru=spec.description_ru, default_amount=spec.default_amount,
                currency=Currency.EUR, max_months=spec.max_months,
            )
            audit_record(action=Action.CREATE, target=kind, detail={"source": "seed-demo"})
            if spec.code == STANDARD_CASH:
                for position, condition, country, mode, amount in STANDARD_CASH_RULES:
                    rule = EligibilityRule.objects.create(
                        kind=kind, position=position, condition=condition, country=country,
                        mode=mode, amount=amount,
                    )
                    audit_record(action=Action.CREATE, target=rule,
                                 detail={"source": "seed-demo"})
        kinds[spec.code] = kind
    return kinds


def _programmes() -> dict[str, Programme]:
    donors: dict[str, Donor] = {}
    for name in DONORS:
        donor, created = Donor.objects.get_or_create(name=name)
        if created:
            audit_record(action=Action.CREATE, target=donor, detail={"source": "seed-demo"})
        donors[name] = donor
    programmes: dict[str, Programme] = {}
    for code, name_en, name_ru, donor_name in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_ru": name_ru,
                                 "donor": donors[donor_name]},
        )
        if created:
            audit_record(action=Action.CREATE, target=programme,
                         detail={"source": "seed-demo"})
        programmes[code] = programme
    return programmes


def _reminders_schedule() -> None:
    """The scheduler's row for the reminders, due now (the worker creates it
    too; having it here shows it on the task status page from the start)."""
    from homeward.jobs import registry
    from homeward.jobs.models import Schedule

    if REMINDERS_KIND not in [kind.name for kind in registry.periodic()]:
        return
    Schedule.objects.get_or_create(kind=REMINDERS_KIND,
                                   defaults={"next_run_at": timezone.now()})


# --- the journeys -------------------------------------------------------------------


def _open_case(actor: User, organisation: Organisation, person: dict[str, Any], age: int,
               opened_on: datetime.date, partner: Organisation | None, details: str) -> Case:
    consents: list[dict[str, Any]] = [
        {"purpose": ConsentPurpose.ASSISTANCE, "decision": ConsentDecision.GIVEN,
         "decided_on": opened_on, "form": ConsentForm.SIGNED},
    ]
    if partner is not None:
        consents.append({"purpose": ConsentPurpose.DATA_SHARING,
                         "decision": ConsentDecision.GIVEN, "decided_on": opened_on,
                         "form": ConsentForm.SIGNED, "organisation": partner})
    return case_services.case_open(
        actor=actor, organisation=organisation, referral_source=ReferralSource.IOM_MISSION,
        opened_on=opened_on, incoming_referral_date=opened_on,
        referral_details=f"{details} {INVENTED}", destination_country="TR",
        current_country="RU",
        person_fields={**person, "birth_date": _birth_date(age)}, consents=consents,
    )


def _backdate_referral(referral: Referral, sent_on: datetime.date,
                       answered_on: datetime.date | None) -> None:
    """The services stamp the seed's time; move it back to the invented dates."""
    values: dict[str, Any] = {"sent_at": _moment(sent_on, 11),
                              "answer_due_on": sent_on + datetime.timedelta(days=7)}
    if answered_on is not None:
        values["answered_at"] = _moment(answered_on, 16)
    Referral.objects.filter(pk=referral.pk).update(**values)


def _astrakhan(caseworker: User, coordinator: User, partner_worker: User,
               kinds: dict[str, AssistanceKind], programmes: dict[str, Programme]) -> Case:
    """TVAC → Angel Oratorium, Astrakhan: a new life with two small children."""
    from homeward.reintegration.eligibility import eligible_amount
    from homeward.reintegration.selectors import case_access
    from homeward.reintegration.selectors_referrals import receivers_for
    from homeward.reintegration.services.assessments import assessment_create
    from homeward.reintegration.services.assistance import ledger_record
    from homeward.reintegration.services.monitoring import report_submit, schedule_create
    from homeward.reintegration.services.plans import (
        goal_add,
        goal_update,
        plan_create,
        plan_review,
    )
    from homeward.reintegration.services.referrals import referral_accept, referral_send

    tvac = caseworker.memberships.get(organisation__code=DEMO_ORGANISATION).organisation
    astrakhan = partner_worker.memberships.get(organisation__code="AO-AST").organisation
    case = _open_case(
        caseworker, tvac, ASTRAKHAN_PERSON, 27, _ago(240), astrakhan,
        "Back from Istanbul through the IOM mission, with her two small children; "
        "her family in Dagestan refuses to receive her.",
    )
    tvac_side = case_access(user=caseworker, code=case.code)
    assessment_create(
        actor=caseworker, access=tvac_side, assessed_on=_ago(215),
        answers={
            "wants_assistance": True, "family_support": "no",
            "wished_region": "Astrakhan Oblast", "housing": "none", "children_in_care": 2,
            "education": "secondary", "skills": ["hairdressing", "cooking"],
            "wants_training": True, "missing_documents": ["passport", "children_documents"],
            "property_rights": False, "income": "none", "debts": True,
            "health_needs": f"Follow-up with the gynaecologist. {INVENTED}",
            "psychologist": f"Ready to live on her own with support. {INVENTED}",
            "safety": f"The recruiter lives in her home town. {INVENTED}",
            "ready_on": _ago(210).isoformat(),
        },
        can_return_home=CanReturnHome.NO,
        return_barriers=[ReturnBarrier.FAMILY_REFUSES, ReturnBarrier.REGION_DISALLOWS,
                         ReturnBarrier.RETRAFFICKING_RISK],
    )

    entry = receivers_for(user=caseworker).filter(organisation=astrakhan).first()
    referral = referral_send(
        actor=caseworker, case=case, receiver=astrakhan, receiver_entry=entry,
        reason=ReferralReason.MIGRATION,
        purposes=[ReferralPurpose.REINTEGRATION, ReferralPurpose.MONITORING],
        needs=[Need.HOUSING, Need.WORK, Need.EDUCATION, Need.DOCUMENTS, Need.CHILDCARE],
        shared_parts=[SharedPart.NAMES, SharedPart.CONTACTS, SharedPart.CHILDREN,
                      SharedPart.ASSESSMENT, SharedPart.PLAN, SharedPart.ASSISTANCE],
        message=f"A new life in Astrakhan with her children, aged 2 and 4. {INVENTED}",
    )
    referral = referral_accept(actor=partner_worker, referral=referral,
                               assignee=partner_worker)
    _backdate_referral(referral, _ago(212), _ago(211))

    partner_side = case_access(user=partner_worker, code=case.code)
    plan = plan_create(
        actor=partner_worker, access=partner_side, starts_on=_ago(205),
        responsible_worker=partner_worker, target_region="Astrakhan Oblast",
        summary=f"Six months of a new life in Astrakhan, then on her own. {INVENTED}",
        review_every_days=30, ends_on=_ago(25),
    )
    goals = [
        (GoalArea.HOUSING, "Rent a room near the kindergarten", _ago(190), GoalStatus.ACHIEVED),
        (GoalArea.DOCUMENTS, "Re-issue her passport and the children's documents", _ago(150),
         GoalStatus.ACHIEVED),
        (GoalArea.FAMILY, "A kindergarten place for both children", _ago(160),
         GoalStatus.ACHIEVED),
        (GoalArea.EDUCATION, "Finish the hairdressing course", _ago(60), GoalStatus.ACHIEVED),
        (GoalArea.EMPLOYMENT, "A job at a hairdresser's", _ago(-30), GoalStatus.IN_PROGRESS),
    ]
    for area, description, target, status in goals:
        goal = goal_add(actor=partner_worker, access=partner_side, plan=plan, area=area,
                        description=f"{description}. (demo)", target_date=target)
        goal_update(actor=partner_worker, access=partner_side, goal=goal, status=status)
    for days in (175, 145, 115):
        plan_review(actor=partner_worker, access=partner_side, plan=plan,
                    reviewed_on=_ago(days), note=f"On track. {INVENTED}")

    # The ledger: TVAC approves and pays; one correction.
    cash = kinds[STANDARD_CASH]
    amount = eligible_amount(kind=cash, person=case.person, on=_ago(210)).amount
    money: dict[str, Any] = {"actor": caseworker, "access": tvac_side,
                             "approved_by": coordinator, "currency": Currency.EUR}
    grant = ledger_record(**money, entry_type=EntryType.GRANT, kind=cash,
                          amount=amount or Decimal("150.00"), entry_on=_ago(210),
                          programme=programmes["prevention-ru"],
                          purpose="Standard aid package (demo)")
    ledger_record(**money, entry_type=EntryType.PAYMENT, kind=cash, amount=grant.amount,
                  entry_on=_ago(209), programme=programmes["prevention-ru"], grant=grant,
                  purpose="Paid in cash on leaving the centre (demo)")
    new_life = ledger_record(**money, entry_type=EntryType.GRANT, kind=kinds[NEW_LIFE],
                             amount=Decimal("1200.00"), entry_on=_ago(206),
                             programme=programmes["prevention-ru"],
                             purpose="Six months in Astrakhan through the partner NGO (demo)")
    for days in (205, 175, 145, 115, 85, 55):
        ledger_record(**money, entry_type=EntryType.PAYMENT, kind=kinds[NEW_LIFE],
                      amount=Decimal("200.00"), entry_on=_ago(days),
                      programme=programmes["prevention-ru"], grant=new_life,
                      purpose="Monthly rent and food (demo)")
    training = ledger_record(**money, entry_type=EntryType.GRANT, kind=kinds[VOCATIONAL],
                             amount=Decimal("350.00"), entry_on=_ago(150),
                             programme=programmes["safe-houses"],
                             purpose="Hairdressing course (demo)")
    ledger_record(**money, entry_type=EntryType.CORRECTION, kind=kinds[VOCATIONAL],
                  amount=Decimal("-50.00"), entry_on=_ago(149), corrects=training,
                  purpose="The course costs 300 EUR, not 350 (demo)")
    ledger_record(**money, entry_type=EntryType.PAYMENT, kind=kinds[VOCATIONAL],
                  amount=Decimal("300.00"), entry_on=_ago(140),
                  programme=programmes["safe-houses"], grant=training,
                  purpose="Paid to the training centre (demo)")

    # Six months of monitoring by Astrakhan: the 3-month report filed, the
    # 6-month one overdue.
    schedule = schedule_create(
        actor=caseworker, access=tvac_side, organisation=astrakhan,
        period=MonitoringPeriod.SIX_MONTHS, starts_on=_ago(190), assignee=partner_worker,
        referral=referral,
    )
    first = MonitoringReport.objects.filter(schedule=schedule,
                                            status=ReportStatus.DUE).order_by("due_on").first()
    if first is not None:
        report_submit(
            actor=partner_worker, access=partner_side, report=first,
            contacted_on=first.due_on - datetime.timedelta(days=2),
            contact_mode=ContactMode.VISIT, living_situation=LivingSituation.OWN_HOUSING,
            work_situation=WorkSituation.TRAINING, feels_safe=True, retrafficking_signs=[],
            outcome=MonitoringOutcome.PROGRESSING, needs_further_help=True,
            narrative=f"Visited at home; the children go to kindergarten; the course goes "
                      f"well. {INVENTED}",
        )
    return case


def _yaroslavl(caseworker: User) -> Referral | None:
    """TVAC → the Yaroslavl safe house, minimum data, waiting for an answer."""
    from homeward.reintegration.selectors_referrals import receivers_for
    from homeward.reintegration.services.referrals import referral_send

    yaroslavl = Organisation.objects.filter(code="SH-YAR").first()
    if yaroslavl is None:
        return None
    tvac = caseworker.memberships.get(organisation__code=DEMO_ORGANISATION).organisation
    case = _open_case(caseworker, tvac, YAROSLAVL_PERSON, 24, _ago(60), None,
                      "Back from Greece; wants to go home to Yaroslavl.")
    referral = referral_send(
        actor=caseworker, case=case, receiver=yaroslavl,
        receiver_entry=receivers_for(user=caseworker).filter(organisation=yaroslavl).first(),
        purposes=[ReferralPurpose.REINTEGRATION, ReferralPurpose.MONITORING],
        needs=[Need.WORK, Need.PSYCHOLOGICAL],
        shared_parts=[SharedPart.ORIGIN],
        message=f"She goes home next week; monitoring for 3 months, please. {INVENTED}",
    )
    _backdate_referral(referral, _ago(1), None)
    return referral


def seed_reintegration_demo() -> int:
    """Create the missing reference data and, the first time, the journeys;
    returns how many demo referrals were created.

    The journeys' notifications stay in-app: their e-mails (sent on commit)
    would go to ``.invalid`` addresses and bury the logins ``seed-demo``
    prints under them.
    """
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused("seed-demo refuses to run with HOMEWARD_ENV=production")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _seed()


@transaction.atomic
def _seed() -> int:
    link_directory_entries()
    author = User.objects.filter(username="coordinator").first()
    _questionnaire(author)
    kinds = _catalogue()
    programmes = _programmes()
    _reminders_schedule()

    caseworker = User.objects.filter(username=DEMO_CASE_WORKER).first()
    coordinator = User.objects.filter(username=DEMO_COORDINATOR).first()
    partner_worker = User.objects.filter(username=PARTNER_WORKER).first()
    if caseworker is None or coordinator is None or partner_worker is None:
        return 0
    if Referral.objects.filter(sender__code=DEMO_ORGANISATION).exists():
        return 0
    _astrakhan(caseworker, coordinator, partner_worker, kinds, programmes)
    return 1 + (_yaroslavl(caseworker) is not None)
