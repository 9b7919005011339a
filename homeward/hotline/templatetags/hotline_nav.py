"""``{% hotline_subnav %}``: the hotline's tabs, on every hotline page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from homeward.accounts.roles import Capability
from homeward.hotline.selectors import follow_up_counts_for_user

register = template.Library()


@register.inclusion_tag("hotline/_subnav.html", takes_context=True)
def hotline_subnav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    capabilities = context.get("nav_capabilities") or set()
    logs = Capability.HOTLINE_LOG.value in capabilities and context.get("membership") is not None
    match = getattr(request, "resolver_match", None)
    return {
        "current": getattr(match, "url_name", ""),
        "logs": logs,
        "counts": follow_up_counts_for_user(user=user) if logs and user is not None else None,
        "analysis_url": reverse("hotline:analysis")
        if Capability.HOTLINE_ANALYSE.value in capabilities else "",
    }
