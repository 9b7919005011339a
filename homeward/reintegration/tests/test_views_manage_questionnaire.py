"""The questionnaire editor: every member reads the versions; coordinators
start a new version (a copy of the one in use), change its questions while
it is a draft, and publish it with a confirmation. A published version
cannot be changed; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.db.models import Max
from django.urls import reverse

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import totp_device
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.reintegration.choices import AnswerType, QuestionnaireStatus
from homeward.reintegration.models import Question, Questionnaire
from homeward.reintegration.tests.factories import make_questionnaire

pytestmark = pytest.mark.django_db

LIST = reverse("reintegration:questionnaire-list")
NEW = reverse("reintegration:questionnaire-new")


def _url(name, pk):
    return reverse(f"reintegration:{name}", kwargs={"pk": pk})


def _questionnaire(status=QuestionnaireStatus.PUBLISHED):
    top = Questionnaire.objects.aggregate(top=Max("version"))["top"] or 0
    return make_questionnaire(version=top + 1, status=status)


def _question_form(**values):
    data = {
        "key": "housing_need", "text_ru": "Нужно ли жильё?", "text_en": "Is housing needed?",
        "help_ru": "", "help_en": "", "answer_type": AnswerType.SINGLE_CHOICE,
        "options": "yes | Да | Yes\nno | Нет | No", "required": "on",
    }
    data.update(values)
    return data


def _keys(questionnaire):
    return list(questionnaire.questions.order_by("position", "pk").values_list("key", flat=True))


# --- who may ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    for url in (LIST, _url("questionnaire-detail", draft.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_every_member_reads_the_questionnaire_but_only_coordinators_change_it(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    question = draft.questions.first()
    for user in (cast.user(Role.RESEARCHER), cast.user(Role.CASE_WORKER, "away")):
        client = login(user)
        assert client.get(LIST).status_code == 200
        page = client.get(_url("questionnaire-detail", draft.pk))
        assert page.status_code == 200
        assert _url("question-new", draft.pk) not in page.content.decode()
        assert client.post(NEW).status_code == 403
        assert client.post(_url("question-new", draft.pk), _question_form()).status_code == 403
        assert client.post(_url("question-edit", question.pk),
                           _question_form()).status_code == 403
        assert client.post(_url("question-remove", question.pk)).status_code == 403
        assert client.post(_url("questionnaire-publish", draft.pk)).status_code == 403
        assert client.post(_url("questionnaire-edit", draft.pk),
                           {"title_ru": "Другое", "title_en": "Other"}).status_code == 403
    assert Questionnaire.objects.count() == 1
    assert Questionnaire.objects.get().status == QuestionnaireStatus.DRAFT
    assert "housing_need" not in _keys(draft)


def test_someone_who_is_no_member_gets_404(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    stranger = User.objects.create_user(username="stranger")
    totp_device(stranger)
    client = login(stranger)
    assert client.get(_url("questionnaire-detail", draft.pk)).status_code == 404
    assert client.get(_url("question-edit", draft.questions.first().pk)).status_code == 404
    assert client.post(_url("questionnaire-edit", draft.pk),
                       {"title_ru": "Другое", "title_en": "Other"}).status_code == 404


def test_pages_answer_405_to_other_methods(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    question = draft.questions.first()
    client = login(cast.user(Role.COORDINATOR))
    assert client.get(NEW).status_code == 405
    assert client.post(LIST).status_code == 405
    assert client.post(_url("questionnaire-detail", draft.pk)).status_code == 405
    assert client.get(_url("question-remove", question.pk)).status_code == 405
    assert client.get(_url("question-move", question.pk)).status_code == 405
    assert client.get(_url("questionnaire-edit", draft.pk)).status_code == 405


# --- versions --------------------------------------------------------------------------


def test_new_version_copies_the_current_one_as_a_draft(cast, login):
    current = _questionnaire()
    response = login(cast.user(Role.COORDINATOR, "away")).post(NEW)
    draft = Questionnaire.objects.get(status=QuestionnaireStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == _url("questionnaire-detail", draft.pk)
    assert draft.version == current.version + 1
    assert _keys(draft) == _keys(current)


def test_list_shows_versions_with_their_status(cast, login):
    _questionnaire(QuestionnaireStatus.RETIRED)
    _questionnaire()
    _questionnaire(QuestionnaireStatus.DRAFT)
    page = login(cast.user(Role.COORDINATOR)).get(LIST).content.decode()
    for label in ("Retired", "In use", "Draft"):
        assert label in page
    # A draft exists: no second "new version" button.
    assert NEW not in page


def test_draft_shows_edit_forms_a_published_version_does_not(cast, login):
    published = _questionnaire()
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    client = login(cast.user(Role.COORDINATOR))
    page = client.get(_url("questionnaire-detail", draft.pk)).content.decode()
    assert _url("question-new", draft.pk) in page
    assert _url("questionnaire-publish", draft.pk) in page
    assert _url("question-move", draft.questions.first().pk) in page
    page = client.get(_url("questionnaire-detail", published.pk)).content.decode()
    assert _url("question-new", published.pk) not in page
    assert "Семейная ситуация" in page
    assert "Family situation" in page


def test_coordinator_renames_a_draft(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    client = login(cast.user(Role.COORDINATOR))
    assert _url("questionnaire-edit", draft.pk) in client.get(
        _url("questionnaire-detail", draft.pk)).content.decode()
    response = client.post(_url("questionnaire-edit", draft.pk),
                           {"title_ru": "Оценка перед возвращением",
                            "title_en": "Assessment before return"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title_ru, draft.title_en) == ("Оценка перед возвращением",
                                                "Assessment before return")
    assert AuditEntry.objects.filter(action=Action.UPDATE, target_id=str(draft.pk)).exists()


def test_a_draft_without_a_title_is_refused_and_keeps_its_title(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(_url("questionnaire-edit", draft.pk),
                           {"title_ru": " ", "title_en": "Assessment before return"})
    assert response.status_code == 200
    assert response.context["title_form"].errors["title_ru"]
    title = draft.title_en
    draft.refresh_from_db()
    assert draft.title_en == title


def test_a_published_version_cannot_be_renamed(cast, login):
    published = _questionnaire()
    client = login(cast.user(Role.COORDINATOR))
    page = client.get(_url("questionnaire-detail", published.pk)).content.decode()
    assert _url("questionnaire-edit", published.pk) not in page
    response = client.post(_url("questionnaire-edit", published.pk),
                           {"title_ru": "Другое", "title_en": "Other"}, follow=True)
    assert "cannot be changed" in response.content.decode()
    published.refresh_from_db()
    assert published.title_en != "Other"


# --- questions -------------------------------------------------------------------------


def test_coordinator_adds_a_choice_question_with_options_from_lines(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    response = login(cast.user(Role.COORDINATOR)).post(_url("question-new", draft.pk),
                                                       _question_form())
    assert response.status_code == 302
    question = draft.questions.get(key="housing_need")
    assert question.options == [{"key": "yes", "ru": "Да", "en": "Yes"},
                                {"key": "no", "ru": "Нет", "en": "No"}]
    assert question.required
    assert _keys(draft)[-1] == "housing_need"


def test_badly_written_options_are_refused_and_nothing_is_added(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(_url("question-new", draft.pk),
                           _question_form(options="yes | Да\nno | Нет | No"))
    assert response.status_code == 200
    assert "Line 1" in str(response.context["form"].errors["options"])
    response = client.post(_url("question-new", draft.pk),
                           _question_form(answer_type=AnswerType.NUMBER))
    assert response.context["form"].errors["options"]
    assert not draft.questions.filter(key="housing_need").exists()


def test_a_key_used_twice_is_refused_by_the_service_on_the_form(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    response = login(cast.user(Role.COORDINATOR)).post(
        _url("question-new", draft.pk), _question_form(key="family"))
    assert response.status_code == 200
    assert response.context["form"].errors["key"]
    assert draft.questions.filter(key="family").count() == 1


def test_coordinator_edits_a_question(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    question = draft.questions.get(key="family")
    client = login(cast.user(Role.COORDINATOR))
    form = client.get(_url("question-edit", question.pk)).context["form"]
    assert form.initial["text_en"] == "Family situation"
    response = client.post(_url("question-edit", question.pk), _question_form(
        key="family", text_en="Family and relatives", answer_type=AnswerType.LONG_TEXT,
        options="", required="",
    ))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text_en == "Family and relatives"
    assert question.text_ru == "Нужно ли жильё?"


def test_choice_options_show_as_lines_when_editing(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    question = draft.questions.get(key="housing")
    form = login(cast.user(Role.COORDINATOR)).get(_url("question-edit", question.pk)).context[
        "form"]
    assert form.initial["options"] == "family | С семьёй | With family\nnone | Нет | None"


def test_coordinator_moves_and_removes_questions(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    client = login(cast.user(Role.COORDINATOR))
    wants_home = draft.questions.get(key="wants_home")
    client.post(_url("question-move", wants_home.pk), {"direction": "up"})
    assert _keys(draft)[:2] == ["wants_home", "family"]
    client.post(_url("question-move", wants_home.pk), {"direction": "down"})
    assert _keys(draft)[:2] == ["family", "wants_home"]
    response = client.post(_url("question-move", wants_home.pk), {"direction": "sideways"})
    assert response.status_code == 302
    assert _keys(draft)[:2] == ["family", "wants_home"]
    client.post(_url("question-remove", wants_home.pk))
    assert "wants_home" not in _keys(draft)


def test_a_published_version_cannot_be_changed(cast, login):
    published = _questionnaire()
    question = published.questions.get(key="family")
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(_url("question-new", published.pk), _question_form())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "cannot be changed" in response.content.decode()
    assert 'name="text_en"' not in client.get(_url("question-edit", question.pk)).content.decode()
    response = client.post(_url("question-remove", question.pk), follow=True)
    assert "cannot be changed" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()
    assert "housing_need" not in _keys(published)


# --- publishing ------------------------------------------------------------------------


def test_publishing_asks_for_confirmation_then_retires_the_version_in_use(cast, login):
    current = _questionnaire()
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    client = login(cast.user(Role.COORDINATOR))
    page = client.get(_url("questionnaire-publish", draft.pk))
    assert page.status_code == 200
    assert f"Version {current.version}, in use now, will be retired" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT
    response = client.post(_url("questionnaire-publish", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == QuestionnaireStatus.PUBLISHED
    assert current.status == QuestionnaireStatus.RETIRED


def test_a_draft_without_questions_is_not_published(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    draft.questions.all().delete()
    response = login(cast.user(Role.COORDINATOR)).post(_url("questionnaire-publish", draft.pk))
    assert response.status_code == 200
    assert response.context["errors"]
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.DRAFT


def test_pages_in_russian_show_the_russian_title(cast, login):
    draft = _questionnaire(QuestionnaireStatus.DRAFT)
    coordinator = cast.user(Role.COORDINATOR)
    coordinator.language = "ru"
    coordinator.save()
    client = login(coordinator)
    for url in (LIST, _url("questionnaire-detail", draft.pk),
                _url("questionnaire-publish", draft.pk), _url("question-new", draft.pk),
                _url("question-edit", draft.questions.first().pk)):
        response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="ru">' in response.content.decode()
    assert "Предынтеграционная оценка" in client.get(LIST).content.decode()
