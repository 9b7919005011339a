"""Encryption at rest, encrypted model fields and blind indexes."""

from __future__ import annotations

import base64
import datetime
import os
from collections.abc import Iterator

import pytest
from django import forms
from django.apps.registry import Apps
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter

from homeward.core.crypto import (
    DecryptionError,
    blind_index,
    decrypt,
    encrypt,
    is_token,
    newest_key_id,
    normalise_email,
    normalise_phone,
    normalise_text,
    token_key_id,
)
from homeward.core.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedFieldMixin,
    EncryptedJSONField,
    EncryptedTextField,
    encrypted_fields,
)

# The probe model lives in its own registry: it is invisible to migrations and
# to the rotation's model discovery, and its table exists only for this module.
probe_apps = Apps()


class CryptoProbe(models.Model):
    text = EncryptedTextField(null=True, blank=True)
    other = EncryptedTextField(null=True, blank=True)
    char = EncryptedCharField(max_length=20, null=True, blank=True)
    born = EncryptedDateField(null=True, blank=True)
    data = EncryptedJSONField(null=True, blank=True)
    plain = models.CharField(max_length=20, blank=True)

    objects: models.Manager[CryptoProbe] = models.Manager()

    class Meta:
        apps = probe_apps
        app_label = "core"
        db_table = "core_test_cryptoprobe"

    def __str__(self) -> str:
        return f"probe {self.pk}"


SECRET = "Анна Ивановна Сидорова"


@pytest.fixture(autouse=True)
def keys(settings) -> dict[str, bytes]:
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k1": os.urandom(32)}
    settings.HOMEWARD_BLIND_INDEX_KEY = os.urandom(32)
    return settings.HOMEWARD_ENCRYPTION_KEYS


@pytest.fixture(scope="module")
def probe_table(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(CryptoProbe)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(CryptoProbe)


@pytest.fixture
def probe_db(probe_table, db) -> None:
    """The probe table, with each test's rows rolled back afterwards."""


def raw_row(pk: int) -> dict[str, str | None]:
    columns = ["text", "other", "char", "born", "data", "plain"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(connection.ops.quote_name(c) for c in columns)} "
            f"FROM {connection.ops.quote_name(CryptoProbe._meta.db_table)} WHERE id = %s",
            [pk],
        )
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(columns, row, strict=True))


def tamper(token: str) -> str:
    head, body = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[-1] ^= 0x01
    return f"{head}:{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"


# --- crypto primitives -------------------------------------------------------


def test_encrypt_then_decrypt_returns_the_plaintext_in_a_hw1_token():
    token = encrypt(SECRET, associated_data="core.person.name")

    assert token.startswith("hw1:k1:")
    assert "=" not in token
    assert SECRET not in token
    assert is_token(token)
    assert decrypt(token, associated_data="core.person.name") == SECRET


def test_equal_plaintexts_encrypt_to_different_tokens():
    first = encrypt(SECRET, associated_data="core.person.name")
    second = encrypt(SECRET, associated_data="core.person.name")

    assert first != second


def test_empty_plaintext_round_trips():
    token = encrypt("", associated_data="a.b.c")

    assert decrypt(token, associated_data="a.b.c") == ""


def test_token_for_another_column_does_not_decrypt():
    token = encrypt(SECRET, associated_data="core.person.name")

    with pytest.raises(DecryptionError):
        decrypt(token, associated_data="core.person.alias")


def test_tampered_token_raises_decryption_error_without_the_plaintext():
    token = encrypt(SECRET, associated_data="core.person.name")

    with pytest.raises(DecryptionError) as caught:
        decrypt(tamper(token), associated_data="core.person.name")

    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "plain text",
        "hw2:k1:AAAA",
        "hw1:k1",
        "hw1::AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "hw1:k1:AAAA",
        "hw1:k1:not base64!",
        "hw1:k-1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_malformed_token_raises_decryption_error(token):
    with pytest.raises(DecryptionError):
        decrypt(token, associated_data="core.person.name")


def test_token_under_unknown_key_id_raises_decryption_error(settings):
    token = encrypt(SECRET, associated_data="x.y.z")
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k2": os.urandom(32)}

    with pytest.raises(DecryptionError, match="unknown key id 'k1'"):
        decrypt(token, associated_data="x.y.z")


def test_new_values_use_the_last_key_and_older_keys_still_decrypt(settings, keys):
    old = encrypt(SECRET, associated_data="x.y.z")
    settings.HOMEWARD_ENCRYPTION_KEYS = {**keys, "k2": os.urandom(32)}

    new = encrypt(SECRET, associated_data="x.y.z")

    assert newest_key_id() == "k2"
    assert token_key_id(old) == "k1"
    assert token_key_id(new) == "k2"
    assert decrypt(old, associated_data="x.y.z") == SECRET
    assert decrypt(new, associated_data="x.y.z") == SECRET


def test_same_key_id_with_another_key_does_not_decrypt(settings):
    token = encrypt(SECRET, associated_data="x.y.z")
    settings.HOMEWARD_ENCRYPTION_KEYS = {"k1": os.urandom(32)}

    with pytest.raises(DecryptionError):
        decrypt(token, associated_data="x.y.z")


@pytest.mark.parametrize(
    "keys_setting", [{}, {"k1": b"short"}, {"k_1": b"x" * 32}, {"k1": "x" * 32}, None]
)
def test_bad_keyring_is_refused(settings, keys_setting):
    settings.HOMEWARD_ENCRYPTION_KEYS = keys_setting

    with pytest.raises(ImproperlyConfigured):
        encrypt("x", associated_data="x.y.z")


# --- normalisers and blind indexes ------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "+7 (916) 123-45-67",
        "8 916 123 45 67",
        "89161234567",
        "79161234567",
        "+79161234567",
        " +7-916-123-45-67 ",
        "007 916 1234567",
        "\uff0b\uff17 916 123 45 67",  # fullwidth plus and seven
    ],
)
def test_phone_spellings_normalise_alike(spelling):
    assert normalise_phone(spelling) == "+79161234567"


def test_phone_normaliser_keeps_other_numbers():
    assert normalise_phone("8 029 123-45-67") == "80291234567"  # Belarusian trunk prefix
    assert normalise_phone("+49 30 1234567") == "+49301234567"
    assert normalise_phone("+ ( ) -") == ""


def test_email_normaliser_strips_and_lowercases():
    assert normalise_email("  Anna.Petrova@Example.ORG ") == "anna.petrova@example.org"


def test_text_normaliser_folds_case_width_yo_and_whitespace():
    assert normalise_text("  Пётр\t  СЕМЁНОВ ") == "петр семенов"
    assert normalise_text("\uff30\uff45\uff54\uff52") == "petr"  # fullwidth, NFKC
    assert normalise_text("Пе\u0308тр") == normalise_text("Петр")
    assert normalise_text("STRASSE") == normalise_text("straße")


def test_blind_index_is_equal_for_spellings_of_the_same_phone():
    first = blind_index("+7 (916) 123-45-67", purpose="person.phone", normaliser=normalise_phone)
    second = blind_index("8 916 123 45 67", purpose="person.phone", normaliser=normalise_phone)

    assert first == second
    assert len(first) == 64
    int(first, 16)
    assert "9161234567" not in first


def test_blind_index_differs_between_values():
    first = blind_index("+79161234567", purpose="person.phone", normaliser=normalise_phone)
    second = blind_index("+79161234568", purpose="person.phone", normaliser=normalise_phone)

    assert first != second


def test_blind_index_differs_between_purposes():
    assert blind_index("Анна", purpose="person.name") != blind_index("Анна", purpose="place.name")


def test_blind_index_differs_between_master_keys(settings):
    first = blind_index("Анна", purpose="person.name")
    settings.HOMEWARD_BLIND_INDEX_KEY = os.urandom(32)

    assert blind_index("Анна", purpose="person.name") != first


def test_blind_index_of_a_text_ignores_case_and_yo():
    assert blind_index("СЕМЁН", purpose="p") == blind_index("семен ", purpose="p")


@pytest.mark.parametrize("value", ["", "   ", None])
def test_blind_index_of_an_empty_value_is_empty(value):
    assert blind_index(value, purpose="person.name") == ""
    assert blind_index("+ -", purpose="person.phone", normaliser=normalise_phone) == ""


def test_blind_index_needs_a_purpose():
    with pytest.raises(ValueError, match="purpose"):
        blind_index("x", purpose="")


# --- encrypted fields ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", SECRET),
        ("text", "line one\nline two ✓"),
        ("char", "Анна"),
        ("born", datetime.date(1999, 12, 31)),
        ("data", {"aliases": ["Аня", "Ann"], "age": 24, "confirmed": True}),
        ("data", ["a", 1, None]),
        ("data", "just a string"),
    ],
)
def test_field_round_trips_through_the_database(probe_db, field, value):
    probe = CryptoProbe.objects.create(**{field: value})

    loaded = CryptoProbe.objects.get(pk=probe.pk)

    assert getattr(loaded, field) == value
    assert raw_row(probe.pk)[field].startswith("hw1:k1:")  # type: ignore[union-attr]


@pytest.mark.parametrize("field", ["text", "char", "born", "data"])
def test_none_is_stored_as_null(probe_db, field):
    probe = CryptoProbe.objects.create(**{field: None})

    assert raw_row(probe.pk)[field] is None
    assert getattr(CryptoProbe.objects.get(pk=probe.pk), field) is None


@pytest.mark.parametrize("field", ["text", "char"])
def test_empty_string_is_stored_as_empty_string(probe_db, field):
    probe = CryptoProbe.objects.create(**{field: ""})

    assert raw_row(probe.pk)[field] == ""
    assert getattr(CryptoProbe.objects.get(pk=probe.pk), field) == ""


def test_empty_date_is_stored_as_null(probe_db):
    probe = CryptoProbe.objects.create(born="")

    assert raw_row(probe.pk)["born"] is None
    assert CryptoProbe.objects.get(pk=probe.pk).born is None


def test_date_field_accepts_iso_strings_and_datetimes(probe_db):
    moment = datetime.datetime(2020, 5, 17, 10, 30, tzinfo=datetime.UTC)
    first = CryptoProbe.objects.create(born="2001-02-03")
    second = CryptoProbe.objects.create(born=moment)

    assert CryptoProbe.objects.get(pk=first.pk).born == datetime.date(2001, 2, 3)
    assert CryptoProbe.objects.get(pk=second.pk).born == datetime.date(2020, 5, 17)
    with pytest.raises(ValidationError):
        CryptoProbe._meta.get_field("born").to_python("03.02.2001")


def test_raw_column_holds_a_token_and_no_plaintext(probe_db):
    probe = CryptoProbe.objects.create(
        text=SECRET,
        char="Сидорова",
        born=datetime.date(1987, 6, 5),
        data={"alias": "Сидорова"},
        plain="visible",
    )

    row = raw_row(probe.pk)

    for field in ("text", "char", "born", "data"):
        value = row[field]
        assert value is not None
        assert value.startswith("hw1:k1:")
        assert "Сидорова" not in value
        assert "Анна" not in value
        assert "1987" not in value
    assert row["plain"] == "visible"


def test_update_bulk_create_and_bulk_update_encrypt(probe_db):
    created = CryptoProbe.objects.bulk_create([CryptoProbe(text="one"), CryptoProbe(text="two")])
    CryptoProbe.objects.filter(pk=created[0].pk).update(text="uno")
    second = CryptoProbe.objects.get(pk=created[1].pk)
    second.text = "dos"
    CryptoProbe.objects.bulk_update([second], ["text"])

    assert [p.text for p in CryptoProbe.objects.order_by("pk")] == ["uno", "dos"]
    for probe in created:
        assert raw_row(probe.pk)["text"].startswith("hw1:")  # type: ignore[union-attr]


def test_values_list_decrypts(probe_db):
    CryptoProbe.objects.create(text=SECRET, born=datetime.date(2000, 1, 1))

    assert list(CryptoProbe.objects.values_list("text", "born")) == [
        (SECRET, datetime.date(2000, 1, 1))
    ]


def test_ciphertext_copied_to_another_column_does_not_decrypt(probe_db):
    probe = CryptoProbe.objects.create(text=SECRET)
    table = connection.ops.quote_name(CryptoProbe._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name('other')} = "
            f"{connection.ops.quote_name('text')} WHERE id = %s",
            [probe.pk],
        )

    with pytest.raises(DecryptionError) as caught:
        CryptoProbe.objects.get(pk=probe.pk)

    assert SECRET not in str(caught.value)


def test_tampered_column_raises_decryption_error_on_load(probe_db):
    probe = CryptoProbe.objects.create(text=SECRET)
    token = raw_row(probe.pk)["text"]
    assert token is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(CryptoProbe._meta.db_table)} "
            "SET text = %s WHERE id = %s",
            [tamper(token), probe.pk],
        )

    with pytest.raises(DecryptionError):
        CryptoProbe.objects.get(pk=probe.pk)


def test_associated_data_names_model_and_field():
    field = CryptoProbe._meta.get_field("text")

    assert isinstance(field, EncryptedFieldMixin)
    assert field.associated_data == "core.cryptoprobe.text"


@pytest.mark.parametrize(
    "lookup",
    [
        {"text": SECRET},
        {"text__exact": SECRET},
        {"text__iexact": SECRET},
        {"text__icontains": "Анна"},
        {"text__startswith": "Ан"},
        {"text__in": [SECRET]},
        {"text__gt": "a"},
        {"text": None},
        {"char__regex": "."},
        {"born__year": 1990},
        {"born__lt": datetime.date(2000, 1, 1)},
        {"data__alias": "x"},
        {"text__lower": "x"},
    ],
)
def test_lookups_on_encrypted_fields_raise_field_error(probe_db, lookup):
    with pytest.raises(FieldError, match="blind index"):
        list(CryptoProbe.objects.filter(**lookup))


def test_isnull_lookup_works(probe_db):
    CryptoProbe.objects.create(text=SECRET)
    CryptoProbe.objects.create(text=None)

    assert CryptoProbe.objects.filter(text__isnull=True).count() == 1
    assert CryptoProbe.objects.exclude(text__isnull=True).count() == 1


def test_char_field_validates_max_length_on_the_plaintext():
    probe = CryptoProbe(char="x" * 21)

    with pytest.raises(ValidationError) as caught:
        probe.full_clean()

    assert "char" in caught.value.error_dict
    CryptoProbe(char="x" * 20).full_clean()


def test_form_fields_fit_the_python_values():
    char = CryptoProbe._meta.get_field("char").formfield()
    text = CryptoProbe._meta.get_field("text").formfield()
    born = CryptoProbe._meta.get_field("born").formfield()
    data = CryptoProbe._meta.get_field("data").formfield()

    assert isinstance(char, forms.CharField)
    assert isinstance(char.widget, forms.TextInput)
    assert char.max_length == 20
    assert isinstance(text, forms.CharField)
    assert isinstance(text.widget, forms.Textarea)
    assert isinstance(born, forms.DateField)
    assert isinstance(data, forms.JSONField)


@pytest.mark.parametrize("name", ["text", "char", "born", "data"])
def test_deconstruct_is_stable_for_migrations(name):
    field = CryptoProbe._meta.get_field(name)
    assert isinstance(field, EncryptedFieldMixin)

    _, path, args, kwargs = field.deconstruct()
    rebuilt = type(field)(*args, **kwargs)
    serialised, imports = MigrationWriter.serialize(field)

    assert path == f"homeward.core.fields.{type(field).__name__}"
    assert rebuilt.deconstruct()[1:] == (path, args, kwargs)
    assert "import homeward.core.fields" in imports
    assert serialised.startswith(f"homeward.core.fields.{type(field).__name__}(")


def test_encrypted_fields_lists_the_encrypted_columns():
    assert [f.name for f in encrypted_fields(CryptoProbe)] == [
        "text",
        "other",
        "char",
        "born",
        "data",
    ]


def test_unique_encrypted_field_fails_the_system_check():
    isolated = Apps()

    class Clash(models.Model):
        secret = EncryptedTextField(unique=True)

        class Meta:
            apps = isolated
            app_label = "core"

        def __str__(self) -> str:
            return "clash"

    errors = Clash._meta.get_field("secret").check()

    assert [e.id for e in errors] == ["homeward.E001"]


def test_non_date_plaintext_in_a_date_column_fails_without_leaking_it(probe_db):
    probe = CryptoProbe.objects.create()
    token = encrypt("Сидорова", associated_data="core.cryptoprobe.born")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(CryptoProbe._meta.db_table)} "
            "SET born = %s WHERE id = %s",
            [token, probe.pk],
        )

    with pytest.raises(DecryptionError) as caught:
        CryptoProbe.objects.get(pk=probe.pk)

    assert "Сидорова" not in str(caught.value)
