"""The assessment questionnaire's editor.

Every member reads the versions and their questions (the coalition's
shared reference data). Coordinators start a new version (a copy of the
one in use), rename it and edit its questions while it is a draft — add,
change, remove, move up or down — and publish it, which retires the version in use
before. The services refuse changes to a published or retired version
(``QuestionnaireLocked``); the refusal shows on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.cases.views_common import GET_POST, request_user
from homeward.core import access
from homeward.core.forms import form_saved
from homeward.reintegration.choices import QuestionnaireStatus
from homeward.reintegration.forms_manage import (
    MoveForm,
    QuestionForm,
    TitleForm,
    question_initial,
)
from homeward.reintegration.models import Question, Questionnaire
from homeward.reintegration.selectors import may_manage
from homeward.reintegration.services import assessments as services
from homeward.reintegration.views_manage import require_manager, show_refusal


def _detail_url(questionnaire: Questionnaire | int, anchor: str = "") -> str:
    pk = questionnaire if isinstance(questionnaire, int) else questionnaire.pk
    url = reverse("reintegration:questionnaire-detail", kwargs={"pk": pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    questionnaires = access.for_user(user, Questionnaire).annotate(
        question_count=Count("questions")
    ).order_by("-version")
    return render(request, "reintegration/questionnaire_list.html", {
        "questionnaires": questionnaires,
        "can_edit": may_manage(user),
        "has_draft": questionnaires.filter(status=QuestionnaireStatus.DRAFT).exists(),
    })


@login_required
@require_POST
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    """A new draft version: a copy of the version in use."""
    user = request_user(request)
    require_manager(user)
    try:
        draft = services.questionnaire_create_draft(actor=user)
    except ValidationError as error:
        show_refusal(request, error)
        return HttpResponseRedirect(reverse("reintegration:questionnaire-list"))
    messages.success(request, _("Version %(version)s was started as a draft.")
                     % {"version": draft.version})
    return HttpResponseRedirect(_detail_url(draft))


def _detail_page(
    request: HttpRequest, questionnaire: Questionnaire, title_form: TitleForm | None = None,
) -> HttpResponse:
    user = request_user(request)
    editable = may_manage(user) and questionnaire.status == QuestionnaireStatus.DRAFT
    questions = list(questionnaire.questions.order_by("position", "pk"))
    if editable and title_form is None:
        title_form = TitleForm(initial={"title_ru": questionnaire.title_ru,
                                        "title_en": questionnaire.title_en})
    return render(request, "reintegration/questionnaire_detail.html", {
        "questionnaire": questionnaire,
        "questions": questions,
        "editable": editable,
        "can_edit": may_manage(user),
        "form": QuestionForm() if editable else None,
        "title_form": title_form if editable else None,
    })


@login_required
@require_GET
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    return _detail_page(request, access.get_for_user(user, Questionnaire, pk=pk))


@login_required
@require_POST
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a draft; a refusal shows on its page with nothing changed."""
    user = request_user(request)
    questionnaire = access.get_for_user(user, Questionnaire, pk=pk)
    require_manager(user)
    form = TitleForm(request.POST)
    if form_saved(request, form, services.questionnaire_update, actor=user,
                  questionnaire=questionnaire):
        messages.success(request, _("The title was saved."))
        return HttpResponseRedirect(_detail_url(questionnaire))
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        # The page shows no title form for a version in use: the refusal goes above it.
        show_refusal(request, ValidationError(list(form.non_field_errors())))
        return HttpResponseRedirect(_detail_url(questionnaire))
    return _detail_page(request, questionnaire, title_form=form)


@login_required
@require_http_methods(GET_POST)
def questionnaire_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for confirmation (GET), then publishes (POST): the version in use
    before is retired, and new assessments use this one."""
    user = request_user(request)
    questionnaire = access.get_for_user(user, Questionnaire, pk=pk)
    require_manager(user)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.questionnaire_publish(actor=user, questionnaire=questionnaire)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, _("Version %(version)s is now in use.")
                             % {"version": questionnaire.version})
            return HttpResponseRedirect(_detail_url(questionnaire))
    current = access.for_user(user, Questionnaire).filter(
        status=QuestionnaireStatus.PUBLISHED
    ).exclude(pk=questionnaire.pk).first()
    return render(request, "reintegration/questionnaire_publish.html", {
        "questionnaire": questionnaire, "current": current, "errors": errors,
        "question_count": questionnaire.questions.count(),
        "is_draft": questionnaire.status == QuestionnaireStatus.DRAFT,
    })


# --- questions ---------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    questionnaire = access.get_for_user(user, Questionnaire, pk=pk)
    require_manager(user)
    form = QuestionForm(request.POST or None)
    if form_saved(request, form, services.question_add, actor=user,
                  questionnaire=questionnaire):
        messages.success(request, _("The question was added."))
        return HttpResponseRedirect(_detail_url(questionnaire, f"q-{form.cleaned_data['key']}"))
    return render(request, "reintegration/question_form.html", {
        "form": form, "questionnaire": questionnaire, "question": None,
        "locked": questionnaire.status != QuestionnaireStatus.DRAFT,
    })


def _question(request: HttpRequest, pk: int) -> Question:
    user = request_user(request)
    question = access.get_for_user(
        user, Question.objects.select_related("questionnaire"), pk=pk
    )
    require_manager(user)
    return question


@login_required
@require_http_methods(GET_POST)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    question = _question(request, pk)
    form = QuestionForm(request.POST or None, initial=question_initial(question))
    if form_saved(request, form, services.question_update, actor=user, question=question):
        messages.success(request, _("The question was saved."))
        return HttpResponseRedirect(
            _detail_url(question.questionnaire_id, f"q-{form.cleaned_data['key']}")
        )
    return render(request, "reintegration/question_form.html", {
        "form": form, "questionnaire": question.questionnaire, "question": question,
        "locked": question.questionnaire.status != QuestionnaireStatus.DRAFT,
    })


@login_required
@require_POST
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    question = _question(request, pk)
    questionnaire_id = question.questionnaire_id
    try:
        services.question_remove(actor=user, question=question)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The question was removed."))
    return HttpResponseRedirect(_detail_url(questionnaire_id))


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    question = _question(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to move the question up or down."))
        return HttpResponseRedirect(_detail_url(question.questionnaire_id))
    try:
        services.question_move(actor=user, question=question, up=form.up)
    except ValidationError as error:
        show_refusal(request, error)
    return HttpResponseRedirect(_detail_url(question.questionnaire_id, f"q-{question.key}"))
