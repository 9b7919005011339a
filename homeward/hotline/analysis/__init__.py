"""The hotline analysis for coordinators and researchers: aggregate counts
only, every one suppressed below k (see :mod:`.suppression`).

* :mod:`.scope` — whose contacts are counted (``analysis_organisations``);
* :mod:`.period` — the span and its buckets;
* :mod:`.overview` — over time, per line, caller type, topic, channel;
* :mod:`.regions` — callers' regions and cities, destination countries;
* :mod:`.campaigns` — before, during and after each campaign;
* :mod:`.export` — any of those tables as CSV or XLSX.
"""

from __future__ import annotations

from homeward.hotline.analysis.campaigns import CampaignAnalysis, campaign_analysis, campaigns
from homeward.hotline.analysis.overview import Overview, overview
from homeward.hotline.analysis.period import GRAINS, Grain, Period
from homeward.hotline.analysis.regions import Ranking, Regions, regions
from homeward.hotline.analysis.scope import Scope, analysis_lines, analysis_organisations
from homeward.hotline.analysis.suppression import Cell, min_cell_count, suppress
from homeward.hotline.analysis.tables import Row, Table

__all__ = [
    "GRAINS", "CampaignAnalysis", "Cell", "Grain", "Overview", "Period", "Ranking", "Regions",
    "Row", "Scope", "Table", "analysis_lines", "analysis_organisations", "campaign_analysis",
    "campaigns", "min_cell_count", "overview", "regions", "suppress",
]
