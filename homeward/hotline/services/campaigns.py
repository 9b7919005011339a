"""Information campaigns: added and changed by the owning organisation's coordinators."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation
from homeward.audit.services import Action
from homeward.hotline.models import Campaign
from homeward.hotline.services._common import (
    Errors,
    add,
    apply,
    audit,
    changed_fields,
    require_manage,
    snapshot,
    validated,
)

CAMPAIGN_FIELDS = (
    "name", "cities", "channels", "starts_on", "ends_on", "materials_distributed", "notes",
)

# --- campaigns ----------------------------------------------------------------


def _check_campaign(campaign: Campaign) -> None:
    errors: Errors = {}
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        add(errors, "ends_on", _("The end is before the start."))
    validated(campaign, errors)


@transaction.atomic
def campaign_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Campaign:
    """A new information campaign of ``organisation`` (its coordinators only)."""
    require_manage(actor, organisation)
    campaign = Campaign(organisation=organisation)
    apply(campaign, fields, CAMPAIGN_FIELDS)
    _check_campaign(campaign)
    campaign.save()
    audit(action=Action.CREATE, actor=actor, organisation=organisation, target=campaign,
           fields=sorted(fields))
    return campaign


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, **fields: Any) -> Campaign:
    """Change a campaign (its organisation's coordinators only)."""
    require_manage(actor, campaign.organisation)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = snapshot(campaign, fields)
    apply(campaign, fields, CAMPAIGN_FIELDS)
    _check_campaign(campaign)
    changed = changed_fields(campaign, before)
    if changed:
        campaign.save()
        audit(action=Action.UPDATE, actor=actor, organisation=campaign.organisation,
               target=campaign, fields=changed)
    return campaign
