"""Select widgets that render their options in Python.

Django renders every ``<option>`` through a template include; a form with
several country lists (250 options each) spends most of its time there. These
widgets produce the same markup directly, without the whitespace between
tags (see ``core/tests/test_widgets.py``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: in order, ``True`` as a bare name,
    ``False`` left out."""
    parts: list[str] = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(format_html(" {}", name) if value is True
                     else format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


class _PythonRenderedOptions:
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        parts: list[str] = [
            format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"], mark_safe(_attrs(option["attrs"])),  # noqa: S308 - escaped
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class FastSelect(_PythonRenderedOptions, forms.Select):
    pass


class FastSelectMultiple(_PythonRenderedOptions, forms.SelectMultiple):
    pass


_fast_classes: dict[type[forms.Select], type[forms.Select]] = {
    forms.Select: FastSelect, forms.SelectMultiple: FastSelectMultiple,
}


def _fast_class(cls: type[forms.Select]) -> type[forms.Select]:
    """The Python-rendered variant of a select widget class (e.g. the lazy
    country select of django-countries), made once."""
    if cls not in _fast_classes:
        _fast_classes[cls] = type(f"Fast{cls.__name__}", (_PythonRenderedOptions, cls), {})
    return _fast_classes[cls]


def speed_up_selects(form: forms.BaseForm) -> None:
    """Swap the select widgets of ``form`` for their Python-rendered variants
    (choices set later still apply: only the rendering changes)."""
    for field in form.fields.values():
        widget = field.widget
        if not isinstance(widget, forms.Select) or isinstance(widget, _PythonRenderedOptions):
            continue
        if type(widget).template_name not in (forms.Select.template_name,
                                              forms.SelectMultiple.template_name):
            continue  # a select with markup of its own
        widget.__class__ = _fast_class(type(widget))


class FastSelectsMixin:
    """For forms: every select renders its options in Python."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self, forms.BaseForm)  # noqa: S101 - a mixin for forms
        speed_up_selects(self)
