"""How a page form hands its data to a service and shows a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the
    form has that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def form_saved(
    request: HttpRequest, form: forms.BaseForm, service: Callable[..., object],
    **arguments: Any,
) -> bool:
    """Whether a POST was saved: ``form`` is valid and ``service(**arguments,
    **form.cleaned_data)`` did not refuse. A refusal (``ValidationError``) is
    put on the form, for the page to show it again with nothing changed."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        service(**arguments, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True
