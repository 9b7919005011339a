"""Access expectations of the Reintegration landing page and the
coordinators' pages (``urls_manage``).

The questionnaire, the catalogue, programmes and donors are the
coalition's shared reference data: every member reads them, AWAY's too,
and the site administrator (the gate lets them read); changing them is for
coordinators of any organisation (403 for other roles and for the site
administrator, who is no coordinator). The totals and the overdue list are
for coordinators; the landing page for those who work on reintegration or
referrals (case workers, reintegration workers, coordinators).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, Expect
from homeward.reintegration.choices import QuestionnaireStatus, RuleCondition, RuleMode
from homeward.reintegration.models import EligibilityRule, Questionnaire
from homeward.reintegration.tests.factories import make_kind, make_programme, make_questionnaire

MANAGERS = frozenset({Role.COORDINATOR})
WORKERS = frozenset({Role.CASE_WORKER, Role.REINTEGRATION_WORKER, Role.COORDINATOR})


def _new_draft() -> Questionnaire:
    # The next free version: the pages also start versions (highest + 1).
    top = Questionnaire.objects.aggregate(top=Max("version"))["top"] or 0
    return make_questionnaire(version=top + 1, status=QuestionnaireStatus.DRAFT)


def _draft(cast: Any) -> dict[str, Any]:
    return {"pk": _new_draft().pk}


def _question(cast: Any) -> dict[str, Any]:
    draft = _new_draft()
    return {"pk": draft.questions.order_by("position").last().pk}  # type: ignore[union-attr]


def _kind(cast: Any) -> dict[str, Any]:
    return {"pk": make_kind().pk}


def _rule(cast: Any) -> dict[str, Any]:
    rule = EligibilityRule.objects.create(kind=make_kind(), condition=RuleCondition.EVERYONE,
                                          mode=RuleMode.BASE, amount=100)
    return {"pk": rule.pk}


def _programme(cast: Any) -> dict[str, Any]:
    return {"pk": make_programme().pk}


def _manage(name: str, **extra: Any) -> Expect:
    """A coordinator's page: 403 for every other role and the site administrator."""
    return Expect(f"reintegration:{name}", allowed=MANAGERS, site_admin=FORBIDDEN, **extra)


EXPECTATIONS: list[Expect] = [
    Expect("reintegration:home", allowed=WORKERS, site_admin=FORBIDDEN),
    # --- the questionnaire ---
    Expect("reintegration:questionnaire-list"),
    _manage("questionnaire-new", method="POST"),
    Expect("reintegration:questionnaire-detail", kwargs=_draft),
    _manage("questionnaire-edit", kwargs=_draft, method="POST"),
    _manage("questionnaire-publish", kwargs=_draft),
    _manage("question-new", kwargs=_draft),
    _manage("question-edit", kwargs=_question),
    # Removing succeeds once: each audience removes a question of its own.
    _manage("question-remove", kwargs=_question, method="POST", fresh=True),
    _manage("question-move", kwargs=_question, method="POST"),
    # --- the catalogue, programmes and donors ---
    Expect("reintegration:catalogue"),
    _manage("kind-new"),
    _manage("kind-edit", kwargs=_kind),
    _manage("rule-new", kwargs=_kind),
    _manage("rule-remove", kwargs=_rule, method="POST", fresh=True),
    _manage("rule-move", kwargs=_rule, method="POST"),
    Expect("reintegration:programme-list"),
    _manage("programme-new"),
    _manage("programme-edit", kwargs=_programme),
    _manage("donor-new"),
    # --- totals and overdue monitoring ---
    _manage("totals"),
    _manage("overdue"),
]
