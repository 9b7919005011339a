"""Import and export of the directory: the format, validation, the one transaction."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from homeward.accounts.models import Organisation
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.directory import exchange
from homeward.directory import services as directory_services
from homeward.directory.models import ContactPoint, Entry, Visibility
from homeward.directory.tests.expectations_exchange import exchange_contact, exchange_entry

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...] = exchange.COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _row(**values: str) -> dict[str, str]:
    row = {
        "owner": "HOME", "kind": "ngo", "name_en": "Harbour", "name_ru": "Гавань",
        "country": "RU", "city": "Moscow", "visibility": "coalition",
        "contact1_label_en": "Desk", "contact1_label_ru": "Стойка",
        "contact1_phone": "+7 495 123-45-67",
    }
    row.update(values)
    return row


def _plan(data: bytes, owners: list[Organisation], filename: str = "f.csv") -> Any:
    return exchange.import_parse(data=data, filename=filename, user=None, owners=owners)


@pytest.fixture
def directory(cast: Any) -> list[Entry]:
    """A small directory with every kind of value the format carries."""
    first = exchange_entry(
        cast.home, name_en="Safe Harbour, Moscow", name_ru="Тихая гавань; Москва",
        visibility=Visibility.PUBLIC, service_codes=("shelter", "legal"), city="Moscow",
        region="Moscow", address="Line 1\nLine 2", latitude="55.75580", longitude="-37.61730",
        languages=["ru", "en"], is_24_7=True, hours="Mon–Fri 9–18",
        website="https://harbour.example.org", emails=["a@example.org", "b@example.org"],
        notes="=HYPERLINK(\"http://evil\")", kind="shelter",
    )
    exchange_contact(first, phone="+7 495 123-45-67", email="desk@example.org",
                     visibility=Visibility.PUBLIC, is_24_7=True)
    exchange_contact(first, label_en="Lawyer", label_ru="Юрист", phone="+7 495 765-43-21",
                     visibility=Visibility.RESTRICTED, restricted_roles=["case_worker"])
    second = exchange_entry(
        cast.away, name_en="Hotline Istanbul", name_ru="Горячая линия Стамбул", country="TR",
        visibility=Visibility.RESTRICTED, restricted_roles=["hotline_operator", "coordinator"],
        kind="hotline",
    )
    exchange_contact(second, phone="+90 212 555 12 34", visibility=Visibility.RESTRICTED,
                     restricted_roles=["hotline_operator"])
    Entry.objects.filter(pk=second.pk).update(last_verified_on=date(2024, 5, 1))
    third = exchange_entry(cast.home, name_en="Plain", name_ru="Простая", country="KZ")
    return [first, second, third]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_export_changes_nothing(cast: Any, directory: list[Entry], fmt: str) -> None:
    content, rows = exchange.directory_export(actor=None, fmt=fmt)
    assert rows == 3
    plan = _plan(content, [cast.home, cast.away], filename=f"x.{fmt}")
    assert [row.errors for row in plan.rows] == [[], [], []]
    assert [row.action for row in plan.rows] == [exchange.UNCHANGED] * 3
    audit_rows = AuditEntry.objects.count()
    assert exchange.import_apply(plan=plan, actor=None) == {
        "create": 0, "update": 0, "unchanged": 3,
    }
    assert AuditEntry.objects.count() == audit_rows


def test_export_carries_every_column(cast: Any, directory: list[Entry]) -> None:
    content, _rows = exchange.directory_export(actor=None, fmt="csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    harbour = next(row for row in rows if row["name_en"] == "Safe Harbour, Moscow")
    assert harbour["external_id"] == f"homeward:{directory[0].pk}"
    assert harbour["services"] == "legal;shelter"
    assert harbour["emails"] == "a@example.org;b@example.org"
    assert harbour["longitude"] == "-37.61730"
    assert harbour["notes"].startswith("'=")  # never run as a formula
    assert harbour["contact1_phone"] == "+74951234567"
    assert harbour["contact2_roles"] == "case_worker"
    assert harbour["contact3_label_en"] == ""
    istanbul = next(row for row in rows if row["country"] == "TR")
    assert istanbul["restricted_roles"] == "coordinator;hotline_operator"
    assert istanbul["last_verified_on"] == "2024-05-01"


def test_export_audits_the_system_export(cast: Any, directory: list[Entry]) -> None:
    exchange.directory_export(actor=None, fmt="xlsx")
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry is not None
    assert (entry.action, entry.actor_id) == (Action.EXPORT, None)
    assert entry.detail == {"format": "xlsx", "rows": 3}


def test_dry_run_reports_each_bad_row_and_changes_nothing(cast: Any) -> None:
    data = _csv([
        _row(name_en="Good"),
        _row(name_en="Bad phone", contact1_phone="12"),
        _row(name_en="Nowhere", country="XX"),
        _row(name_en="", name_ru=""),
        _row(name_en="Odd", kind="castle", services="shelter;spa", visibility="secret"),
        _row(name_en="Hidden", visibility="restricted"),
        _row(name_en="Lost", latitude="95", longitude="east", last_verified_on="01.02.2024"),
    ])
    before = (Entry.objects.count(), ContactPoint.objects.count(), AuditEntry.objects.count())
    plan = _plan(data, [cast.home])
    after = (Entry.objects.count(), ContactPoint.objects.count(), AuditEntry.objects.count())
    assert before == after
    errors = {row.number: " ".join(row.errors) for row in plan.rows}
    assert errors[2] == ""
    assert plan.rows[0].action == exchange.CREATE
    assert "contact1_phone" in errors[3]
    assert "not a valid phone number" in errors[3]
    assert "country" in errors[4]
    assert "XX" in errors[4]
    assert "name in Russian and the name in English" in errors[5]
    assert "unknown kind" in errors[6]
    assert "spa" in errors[6]
    assert "visibility" in errors[6]
    assert "at least one role" in errors[7]
    assert "latitude" in errors[8]
    assert "longitude" in errors[8]
    assert "YYYY-MM-DD" in errors[8]
    assert plan.has_errors
    with pytest.raises(ValidationError):
        exchange.import_apply(plan=plan, actor=None)
    assert Entry.objects.count() == before[0]


def test_errors_are_in_the_users_language(cast: Any) -> None:
    with translation.override("ru"):
        plan = _plan(_csv([_row(contact1_phone="abc")]), [cast.home])
    assert plan.rows[0].errors
    assert "phone" in plan.rows[0].errors[0]


def test_a_row_for_another_owner_is_an_error(cast: Any) -> None:
    plan = _plan(_csv([_row(owner="AWAY"), _row(owner="NOPE")]), [cast.home])
    assert all("owner" in row.errors[0] for row in plan.rows)


def test_duplicate_rows_are_errors(cast: Any) -> None:
    plan = _plan(_csv([_row(), _row(name_en=" harbour ")]), [cast.home])
    assert not plan.rows[0].errors
    assert "Row 2" in plan.rows[1].errors[0]


def test_confirm_applies_every_row_audited(cast: Any) -> None:
    data = _csv([
        _row(name_en="One", services="shelter"),
        _row(name_en="Two", contact2_label_en="Night", contact2_label_ru="Ночь",
             contact2_24_7="yes"),
    ])
    audit_rows = AuditEntry.objects.count()
    counts = exchange.import_apply(plan=_plan(data, [cast.home]), actor=cast.user("coordinator"))
    assert counts == {"create": 2, "update": 0, "unchanged": 0}
    two = Entry.objects.get(name_en="Two")
    assert two.owner == cast.home
    assert [c.label_en for c in two.contact_points.order_by("position")] == ["Desk", "Night"]
    assert two.contact_points.get(label_en="Desk").phone == "+74951234567"
    assert list(Entry.objects.get(name_en="One").services.values_list("code", flat=True)) == [
        "shelter"
    ]
    # Two entries and three contact points, each with its own audit row.
    assert AuditEntry.objects.count() == audit_rows + 5
    plan = _plan(data, [cast.home])
    assert [row.action for row in plan.rows] == [exchange.UNCHANGED] * 2


def test_reimport_updates_what_changed(cast: Any, directory: list[Entry]) -> None:
    content, _rows = exchange.directory_export(actor=None, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    plain = next(row for row in rows if row["name_en"] == "Plain")
    plain.update(city="Almaty", contact1_label_en="New", contact1_label_ru="Новый",
                 contact1_phone="+7 727 250 00 00", last_verified_on="2025-01-02")
    plan = _plan(_csv([plain]), [cast.home])
    assert plan.rows[0].errors == []
    assert plan.rows[0].action == exchange.UPDATE
    exchange.import_apply(plan=plan, actor=cast.user("coordinator"))
    entry = Entry.objects.get(pk=directory[2].pk)
    assert entry.city == "Almaty"
    assert entry.last_verified_on == date(2025, 1, 2)
    assert entry.contact_points.get().phone == "+77272500000"
    changes = AuditEntry.objects.filter(target_type="directory.Entry", target_id=str(entry.pk),
                                        action=Action.UPDATE)
    assert {field for change in changes for field in change.fields} >= {
        "city", "last_verified_on",
    }


def test_a_failure_in_the_middle_saves_nothing(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _csv([_row(name_en=f"Entry {n}") for n in range(4)])
    plan = _plan(data, [cast.home])
    assert not plan.has_errors
    real = directory_services.contact_point_create
    calls = {"n": 0}

    def failing(**kwargs: Any) -> ContactPoint:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(directory_services, "contact_point_create", failing)
    before = (Entry.objects.count(), ContactPoint.objects.count(), AuditEntry.objects.count())
    with pytest.raises(RuntimeError):
        exchange.import_apply(plan=plan, actor=None)
    assert calls["n"] == 3
    after = (Entry.objects.count(), ContactPoint.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_a_service_refusal_names_the_row(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _plan(_csv([_row(name_en="A"), _row(name_en="B")]), [cast.home])
    real = directory_services.entry_create

    def refusing(**kwargs: Any) -> Entry:
        if kwargs["name_en"] == "B":
            raise ValidationError("refused")
        return real(**kwargs)

    monkeypatch.setattr(directory_services, "entry_create", refusing)
    with pytest.raises(ValidationError, match="Row 3"):
        exchange.import_apply(plan=plan, actor=None)
    assert not Entry.objects.filter(name_en="A").exists()


def test_reads_xlsx_with_typed_cells(cast: Any) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["owner", "kind", "name_en", "name_ru", "country", "latitude", "is_24_7",
                  "last_verified_on"])
    sheet.append(["HOME", "ngo", "Typed", "Типы", "ru", 55.5, True, date(2024, 1, 31)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = _plan(buffer.getvalue(), [cast.home], filename="typed.xlsx")
    row = plan.rows[0]
    assert row.errors == []
    assert row.values["country"] == "RU"
    assert row.values["is_24_7"] is True
    assert row.verified_on == date(2024, 1, 31)


def test_reads_semicolon_csv_with_bom(cast: Any) -> None:
    text = "\ufeffowner;kind;name_en;name_ru;country;services\nHOME;ngo;Semi;Точка;RU;legal\n"
    plan = _plan(text.encode("utf-8"), [cast.home])
    assert plan.rows[0].errors == []
    assert [s.code for s in plan.rows[0].services or []] == ["legal"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name_en,name_ru,country\n", "kind"),
        (b"name_en,name_ru,country,kind,colour\n", "colour"),
        ("name_en,name_ru,country,kind\nÉ\n".encode("latin-1"), "UTF-8"),
        (b"PK\x03\x04garbage", "XLSX"),
        (b"x" * (exchange.MAX_FILE_BYTES + 1), "5 MB"),
    ],
)
def test_unreadable_files_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(exchange.ImportFileError, match=message):
        exchange.read_table(data)


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exchange, "MAX_ROWS", 2)
    data = b"name_en,name_ru,country,kind\n" + b"a,b,RU,ngo\n" * 3
    with pytest.raises(exchange.ImportFileError, match="more than 2 rows"):
        exchange.read_table(data)


def test_csv_escaping_survives_a_round_trip() -> None:
    for value in ("=1+2", "@SUM(A1)", "-x", "'=already", "+74951234567", "-12.5", "plain"):
        assert exchange._unescape(exchange._csv_safe(value)) == value
    assert exchange._csv_safe("+74951234567") == "+74951234567"
    assert exchange._csv_safe("=1+2") == "'=1+2"


def test_vcard_escapes_text_and_names_the_contact(cast: Any) -> None:
    entry = exchange_entry(cast.home, name_en="Harbour, Inc; \"Moscow\"", name_ru="Гавань",
                           address="Street 1,\nfloor 2", city="Moscow", is_24_7=True,
                           website="https://harbour.example.org")
    contact = exchange_contact(entry, phone="+7 495 123-45-67", email="desk@example.org",
                               hours="9–18; Sat, Sun closed")
    with translation.override("en"):
        card = exchange.contact_vcard(contact)
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert card.endswith("END:VCARD\r\n")
    unfolded = card.replace("\r\n ", "")
    assert "ORG:Harbour\\, Inc\\; \"Moscow\";Reception\r\n" in unfolded
    assert "TEL;TYPE=WORK,VOICE:+74951234567\r\n" in unfolded
    assert "EMAIL;TYPE=INTERNET:desk@example.org\r\n" in unfolded
    assert "ADR;TYPE=WORK:;;Street 1\\,\\nfloor 2;Moscow;;;Russia\r\n" in unfolded
    assert "NOTE:9–18\\; Sat\\, Sun closed\r\n" in unfolded
    assert "URL:https://harbour.example.org\r\n" in unfolded
    with translation.override("ru"):
        assert "ORG:Гавань;Приёмная" in exchange.contact_vcard(contact)
    assert all(len(line.encode()) <= 75 for line in card.split("\r\n"))


def test_vcard_folds_long_lines_without_splitting_characters() -> None:
    folded = exchange._fold("NOTE:" + "ж" * 100)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "NOTE:" + "ж" * 100


def test_import_command_dry_run_and_commit(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(_csv([_row(owner=""), _row(name_en="Second")]))
    out = io.StringIO()
    call_command("directory-import", str(path), "--owner", "HOME", stdout=out)
    assert "Dry run" in out.getvalue()
    assert not Entry.objects.exists()
    call_command("directory-import", str(path), "--owner", "HOME", "--commit", stdout=out)
    assert Entry.objects.filter(owner=cast.home).count() == 2
    created = AuditEntry.objects.filter(action=Action.CREATE, target_type="directory.Entry")
    assert created.count() == 2
    assert not created.exclude(actor_id=None).exists()


def test_import_command_fails_on_errors(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(_csv([_row(contact1_phone="12")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 rows with errors"):
        call_command("directory-import", str(path), "--owner", "HOME", "--commit", stderr=err)
    assert "row 2: contact1_phone" in err.getvalue()
    assert not Entry.objects.exists()
    with pytest.raises(CommandError, match="No active organisation"):
        call_command("directory-import", str(path), "--owner", "NOPE")


def test_export_command_writes_everything(
    cast: Any, directory: list[Entry], tmp_path: Path
) -> None:
    path = tmp_path / "out.xlsx"
    call_command("directory-export", "--format", "xlsx", "-o", str(path), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(exchange.COLUMNS)
    assert len(rows) == 4
    notes = exchange.COLUMNS.index("notes")
    line = next(n for n, row in enumerate(rows, start=1) if row[4] == "Safe Harbour, Moscow")
    assert rows[line - 1][notes] == "=HYPERLINK(\"http://evil\")"
    assert sheet.cell(row=line, column=notes + 1).data_type == "s"
