"""The import, export and vCard pages: who may use them and what they do."""

from __future__ import annotations

import csv
import io
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homeward.accounts.sudo import SESSION_KEY as SUDO_KEY
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.directory import exchange
from homeward.directory.models import ContactPoint, Entry, Visibility
from homeward.directory.tests.expectations_exchange import exchange_contact, exchange_entry
from homeward.directory.views_exchange import SESSION_KEY
from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import run_pending_jobs

pytestmark = pytest.mark.django_db

Login = Callable[[Any], Client]
HEADER = "owner,kind,name_en,name_ru,country,contact1_label_en,contact1_label_ru,contact1_phone\n"


@pytest.fixture(autouse=True)
def _var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _upload(text: str, name: str = "entries.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _with_sudo(client: Client) -> Client:
    session = client.session
    session[SUDO_KEY] = time.time() + 300
    session.save()
    return client


def _stored(tmp_path: Path) -> list[Path]:
    directory = tmp_path / "imports"
    return list(directory.iterdir()) if directory.exists() else []


def test_import_page_is_for_editors_only(cast: Any, login: Login) -> None:
    assert login(cast.user("coordinator")).get(reverse("directory:import")).status_code == 200
    response = login(cast.user("case_worker")).get(reverse("directory:import"))
    assert response.status_code == 403


def test_preview_shows_row_errors_and_keeps_nothing(
    cast: Any, login: Login, tmp_path: Path
) -> None:
    client = login(cast.user("coordinator"))
    text = HEADER + "HOME,ngo,Good,Хорошая,RU,Desk,Стойка,+74951234567\n"
    text += "HOME,ngo,Bad,Плохая,XX,Desk,Стойка,12\n"
    audit_rows = AuditEntry.objects.count()
    response = client.post(reverse("directory:import"), {"file": _upload(text)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not an ISO 3166 country code" in page
    assert "contact1_phone" in page
    assert "Confirm the import" not in page
    assert SESSION_KEY not in client.session
    assert _stored(tmp_path) == []
    assert not Entry.objects.exists()
    assert AuditEntry.objects.count() == audit_rows


def test_unreadable_file_is_an_error_on_the_form(cast: Any, login: Login) -> None:
    client = login(cast.user("org_admin"))
    response = client.post(reverse("directory:import"), {"file": _upload("a,b\n1,2\n")})
    assert response.status_code == 200
    assert "Unknown columns: a, b" in response.content.decode()
    response = client.post(reverse("directory:import"), {"file": _upload("x", "notes.txt")})
    assert "Upload a .csv or an .xlsx file." in response.content.decode()


def test_confirm_imports_the_previewed_file_once(
    cast: Any, login: Login, tmp_path: Path
) -> None:
    client = login(cast.user("org_admin"))
    text = HEADER + "HOME,ngo,Good,Хорошая,RU,Desk,Стойка,+74951234567\n"
    text += ",shelter,Owned by default,По умолчанию,RU,,,\n"
    response = client.post(reverse("directory:import"), {"file": _upload(text)})
    assert "Confirm the import" in response.content.decode()
    assert not Entry.objects.exists()
    [stored] = _stored(tmp_path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert client.session[SESSION_KEY]["token"] == stored.name
    response = client.post(reverse("directory:import-confirm"), {"confirm": "1"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job-detail", kwargs={"pk": job.pk})
    assert not Entry.objects.exists()
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.DONE, {"create": 2, "update": 0,
                                                         "unchanged": 0})
    assert set(Entry.objects.values_list("owner__code", flat=True)) == {"HOME"}
    assert Entry.objects.count() == 2
    assert ContactPoint.objects.get().phone == "+74951234567"
    assert AuditEntry.objects.filter(action=Action.CREATE, actor_id=cast.user("org_admin").pk,
                                     target_type="directory.Entry").count() == 2
    assert AuditEntry.objects.filter(action=Action.CREATE, actor_id=cast.user("org_admin").pk,
                                     target_type="jobs.Job").count() == 1
    assert _stored(tmp_path) == []
    again = client.post(reverse("directory:import-confirm"), {"confirm": "1"})
    assert again.status_code == 302
    assert Entry.objects.count() == 2


def test_cancel_discards_the_file(cast: Any, login: Login, tmp_path: Path) -> None:
    client = login(cast.user("coordinator"))
    text = HEADER + "HOME,ngo,Good,Хорошая,RU,Desk,Стойка,+74951234567\n"
    client.post(reverse("directory:import"), {"file": _upload(text)})
    assert len(_stored(tmp_path)) == 1
    response = client.post(reverse("directory:import-confirm"), {"cancel": "1"})
    assert response.status_code == 302
    assert _stored(tmp_path) == []
    assert not Entry.objects.exists()


def test_org_admin_cannot_import_for_another_owner(cast: Any, login: Login) -> None:
    client = login(cast.user("org_admin"))
    text = HEADER + "AWAY,ngo,Theirs,Чужая,RU,,,\n"
    response = client.post(reverse("directory:import"), {"file": _upload(text)})
    assert "you cannot import entries of “AWAY”" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_two_rows_for_one_new_entry_are_refused(cast: Any, login: Login) -> None:
    client = login(cast.user("coordinator"))
    text = HEADER + "HOME,ngo,Good,Хорошая,RU,,,\n" + "HOME,ngo,Good,Хорошая,RU,,,\n"
    response = client.post(reverse("directory:import"), {"file": _upload(text)})
    assert "Row 2 already creates" in response.content.decode()


def test_confirm_checks_the_file_again(cast: Any, login: Login, tmp_path: Path) -> None:
    """Entries created between preview and confirm are matched, or stop the import."""
    client = login(cast.user("coordinator"))
    text = HEADER + "HOME,ngo,Good,Хорошая,RU,,,\n" + "HOME,ngo,Other,Другая,RU,,,\n"
    client.post(reverse("directory:import"), {"file": _upload(text)})
    exchange_entry(cast.home, name_en="Good", name_ru="Хорошая")
    exchange_entry(cast.home, name_en="Good", name_ru="Хорошая-2")
    response = client.post(reverse("directory:import-confirm"), {"confirm": "1"})
    page = response.content.decode()
    assert "The directory changed since you checked the file" in page
    assert "Several entries of HOME" in page
    assert not Entry.objects.filter(name_en="Other").exists()
    assert _stored(tmp_path) == []


def test_anonymous_cannot_export(client: Client) -> None:
    response = client.get(reverse("directory:export", kwargs={"fmt": "csv"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_export_asks_for_the_password_first(cast: Any, login: Login) -> None:
    response = login(cast.user("researcher")).get(
        reverse("directory:export", kwargs={"fmt": "csv"})
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sudo"))


@pytest.fixture
def hotline_only(cast: Any) -> Entry:
    entry = exchange_entry(cast.home, name_en="Rescue desk", visibility=Visibility.COALITION,
                           city="Moscow")
    exchange_contact(entry, label_en="Public line", phone="+7 495 123-45-67")
    exchange_contact(entry, label_en="Police liaison", phone="+7 495 765-43-21",
                     visibility=Visibility.RESTRICTED, restricted_roles=["hotline_operator"])
    exchange_entry(cast.away, name_en="Operators only", visibility=Visibility.RESTRICTED,
                   restricted_roles=["hotline_operator"], city="Moscow")
    exchange_entry(cast.away, name_en="In Istanbul", country="TR", city="Istanbul")
    return entry


def _export_rows(client: Client, **query: str) -> list[dict[str, str]]:
    response = client.get(reverse("directory:export", kwargs={"fmt": "csv"}), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_case_worker_export_leaves_out_lines_for_hotline_operators(
    cast: Any, login: Login, hotline_only: Entry
) -> None:
    rows = _export_rows(_with_sudo(login(cast.user("case_worker"))))
    assert [row["name_en"] for row in rows] == ["In Istanbul", "Rescue desk"]
    rescue = rows[1]
    assert rescue["contact1_label_en"] == "Public line"
    assert rescue["contact2_label_en"] == ""
    assert "+74957654321" not in str(rows)
    entry = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert entry.actor_id == cast.user("case_worker").pk
    assert entry.detail == {"format": "csv", "rows": 2}


def test_hotline_operator_export_includes_their_lines(
    cast: Any, login: Login, hotline_only: Entry
) -> None:
    rows = _export_rows(_with_sudo(login(cast.user("hotline_operator", "away"))))
    assert [row["name_en"] for row in rows] == ["In Istanbul", "Operators only", "Rescue desk"]
    assert rows[2]["contact2_phone"] == "+74957654321"


def test_export_applies_the_list_filters(cast: Any, login: Login, hotline_only: Entry) -> None:
    client = _with_sudo(login(cast.user("hotline_operator")))
    assert [row["name_en"] for row in _export_rows(client, country="tr")] == ["In Istanbul"]
    rows = _export_rows(client, city="moscow", q="rescue")
    assert [row["name_en"] for row in rows] == ["Rescue desk"]


def test_export_as_xlsx(cast: Any, login: Login, hotline_only: Entry) -> None:
    client = _with_sudo(login(cast.user("coordinator")))
    response = client.get(reverse("directory:export", kwargs={"fmt": "xlsx"}))
    assert response.status_code == 200
    assert 'filename="homeward-directory-' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["In Istanbul", "Rescue desk"]
    assert AuditEntry.objects.get(action=Action.EXPORT).detail == {"format": "xlsx", "rows": 2}


def test_exported_file_reimports_unchanged_through_the_pages(
    cast: Any, login: Login, hotline_only: Entry
) -> None:
    client = _with_sudo(login(cast.user("coordinator")))
    content = client.get(reverse("directory:export", kwargs={"fmt": "xlsx"})).content
    # The coordinator of HOME may import only HOME's entries.
    upload = SimpleUploadedFile("mine.xlsx", content)
    page = client.post(reverse("directory:import"), {"file": upload}).content.decode()
    assert "AWAY" in page
    plan = exchange.import_parse(data=content, filename="x.xlsx", user=cast.user("coordinator"),
                                 owners=[cast.home, cast.away])
    assert [row.action for row in plan.rows] == [exchange.UNCHANGED] * 2


def test_public_vcard_downloads_without_signing_in(client: Client, cast: Any) -> None:
    entry = exchange_entry(cast.home, name_en="Open Door", visibility=Visibility.PUBLIC)
    contact = exchange_contact(entry, phone="+7 495 123-45-67", visibility=Visibility.PUBLIC)
    response = client.get(reverse("directory:contact-vcard", kwargs={"cpk": contact.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "TEL;TYPE=WORK,VOICE:+74951234567" in response.content.decode()
    assert "open-door-reception.vcf" in response["Content-Disposition"]


def test_restricted_vcard_is_not_found_for_other_roles(
    client: Client, cast: Any, login: Login, hotline_only: Entry
) -> None:
    restricted = hotline_only.contact_points.get(label_en="Police liaison")
    coalition = hotline_only.contact_points.get(label_en="Public line")
    url = reverse("directory:contact-vcard", kwargs={"cpk": restricted.pk})
    assert client.get(
        reverse("directory:contact-vcard", kwargs={"cpk": coalition.pk})
    ).status_code == 404
    assert login(cast.user("case_worker")).get(url).status_code == 404
    assert login(cast.user("hotline_operator", "away")).get(url).status_code == 200
