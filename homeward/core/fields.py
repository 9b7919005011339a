"""Model fields that are encrypted at rest.

Each value is sealed with :func:`homeward.core.crypto.encrypt` on its way to
the database and opened on its way back, so model instances, forms and
serializers see plaintext while the column only ever holds ``hw1:...``
tokens. ``None`` is stored as NULL and an empty string as ``""`` (the only
thing the column reveals about a value is whether it is empty, and its
approximate length).

The associated data is ``"<app_label>.<model_name>.<field_name>"``, so a token
copied to another column or model does not decrypt. Renaming a model or an
encrypted field therefore needs a data migration that re-encrypts the column.

The database cannot compare ciphertexts: every lookup except ``isnull``
raises :class:`~django.core.exceptions.FieldError`. Search through a blind
index column (:func:`homeward.core.crypto.blind_index`) instead. ``unique``
and ``primary_key`` are refused for the same reason.

Note that ``dumpdata`` writes plaintext, as it does for any field.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.core import checks, validators
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Combinable
from django.db.models.lookups import Lookup, Transform
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from homeward.core.crypto import DecryptionError, decrypt, encrypt

__all__ = [
    "EncryptedCharField",
    "EncryptedDateField",
    "EncryptedFieldMixin",
    "EncryptedJSONField",
    "EncryptedTextField",
    "encrypted_fields",
]


class EncryptedFieldMixin(models.Field):
    """Encrypts on save, decrypts on load; refuses lookups other than ``isnull``.

    Subclasses turn their Python value into plaintext text with
    :meth:`serialise` and back with :meth:`deserialise`. ``isinstance(field,
    EncryptedFieldMixin)`` finds every encrypted field (see ``rotate-keys``).
    """

    encrypted = True

    # The form field used when a subclass has no better one of its own.
    default_form_class: type[forms.Field] | None = None

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or self.default_form_class,
            choices_form_class=choices_form_class,
            **kwargs,
        )

    def get_internal_type(self) -> str:
        return "TextField"  # the column holds the token text

    @property
    def associated_data(self) -> str:
        """``"<app_label>.<model_name>.<field_name>"`` of the concrete model."""
        model = getattr(self, "model", None)
        if model is None:
            raise ImproperlyConfigured("an encrypted field must be attached to a model first")
        return f"{model._meta.label_lower}.{self.name}"

    # --- conversions -----------------------------------------------------

    def serialise(self, value: Any) -> str:
        """The plaintext text for a (``to_python``-ed, non-None) value."""
        return str(value)

    def deserialise(self, text: str) -> Any:
        """The Python value for a decrypted plaintext text."""
        return text

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(super().get_prep_value(value))
        if value is None:
            return None
        text = self.serialise(value)
        if text == "":
            return ""
        return encrypt(text, associated_data=self.associated_data)

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None:
            return None
        if value == "":
            return self.to_python("")
        return self.deserialise(decrypt(value, associated_data=self.associated_data))

    # --- queries ---------------------------------------------------------

    def _refuse(self, lookup_name: str) -> FieldError:
        where = f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else self.name
        return FieldError(
            f"{where} is encrypted: the database cannot compare its values, so "
            f"'__{lookup_name}' is not supported. Search a blind index column "
            "(homeward.core.crypto.blind_index) instead; only '__isnull' works here."
        )

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise self._refuse(lookup_name)

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise self._refuse(lookup_name)

    # --- checks ----------------------------------------------------------

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.primary_key:
            errors.append(
                checks.Error(
                    "Encrypted fields cannot be unique or a primary key: equal values "
                    "encrypt differently.",
                    hint="Put a unique constraint on a blind index column instead.",
                    obj=self,
                    id="homeward.E001",
                )
            )
        return errors


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """A ``TextField`` whose values are encrypted at rest."""

    description = _("Text (encrypted)")


class EncryptedCharField(EncryptedFieldMixin, models.TextField):
    """Single-line text, encrypted at rest.

    The column is ``text`` (ciphertext is longer than the value); ``max_length``
    is validated on the plaintext and forms use a single-line input.
    """

    description = _("String (encrypted)")

    @cached_property
    def validators(self) -> list[validators._ValidatorCallable]:
        extra = [] if self.max_length is None else [validators.MaxLengthValidator(self.max_length)]
        return [*super().validators, *extra]

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.max_length is not None and (
            not isinstance(self.max_length, int)
            or isinstance(self.max_length, bool)
            or self.max_length <= 0
        ):
            errors.append(
                checks.Error(
                    "'max_length' must be a positive integer.", obj=self, id="homeward.E002"
                )
            )
        return errors

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        if self.choices is None:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(
            form_class=form_class, choices_form_class=choices_form_class, **kwargs
        )


class EncryptedDateField(EncryptedFieldMixin):
    """A date, stored as its encrypted ISO 8601 text. Python value: ``datetime.date``."""

    default_form_class = forms.DateField

    _pyi_private_set_type: datetime.date | str | Combinable
    _pyi_private_get_type: datetime.date

    description = _("Date (encrypted)")
    default_error_messages = {
        "invalid": _("“%(value)s” value must be a valid date in YYYY-MM-DD format."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )

    def serialise(self, value: Any) -> str:
        if not isinstance(value, datetime.date):
            raise TypeError("EncryptedDateField holds datetime.date values")
        return value.isoformat()

    def deserialise(self, text: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise DecryptionError(f"{self.associated_data}: stored value is not a date") from None


class EncryptedJSONField(EncryptedFieldMixin):
    """A JSON-serialisable value, stored as its encrypted JSON text.

    ``None`` is stored as NULL (so a JSON ``null`` cannot be told apart).
    """

    default_form_class = forms.JSONField

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    description = _("JSON (encrypted)")

    def to_python(self, value: Any) -> Any:
        return value

    def serialise(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def deserialise(self, text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            raise DecryptionError(f"{self.associated_data}: stored value is not JSON") from None

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedFieldMixin]:
    """The encrypted fields stored in ``model``'s own table."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedFieldMixin)
    ]
