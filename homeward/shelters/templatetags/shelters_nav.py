"""``{% shelters_subnav %}``: the shelters' tabs, on every shelter page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from homeward.accounts.roles import Capability

register = template.Library()

# (URL name, label key, capability needed or None, URL names that mark the tab current)
_TABS: tuple[tuple[str, str, str | None, frozenset[str]], ...] = (
    ("shelters:shelter-list", "shelters", None,
     frozenset({"shelter-list", "shelter-detail", "shelter-create", "shelter-edit"})),
    ("shelters:referral-list", "referrals", Capability.SHELTERS_RUN.value,
     frozenset({"referral-list", "referral-detail", "referral-decline", "referral-admit"})),
    ("shelters:waiting-list", "waiting", Capability.CASES_MANAGE.value,
     frozenset({"waiting-list"})),
    ("shelters:dashboard", "occupancy", Capability.SHELTERS_OVERVIEW.value,
     frozenset({"dashboard"})),
)


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # a page of the shelters app not (yet) installed
        return ""


@register.inclusion_tag("shelters/_subnav.html", takes_context=True)
def shelters_subnav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    capabilities = context.get("nav_capabilities") or set()
    current = getattr(getattr(request, "resolver_match", None), "url_name", "")
    tabs = {}
    for name, key, capability, names in _TABS:
        url = _url(name) if capability is None or capability in capabilities else ""
        tabs[key] = {"url": url, "current": current in names}
    return {"tabs": tabs}
