"""REST API of the CTDC reference datasets: CTDC's public, de-identified
global figures, imported as labelled datasets of their own and never
counted with the coalition's cases. Every report reader (coordinators,
researchers) lists them — a CTDC report takes a dataset's id as its
``dataset`` filter; everyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.cases.api.common import request_user
from homeward.core import access
from homeward.stats.api.reports import require_viewer
from homeward.stats.models import CtdcDataset


class CtdcDatasetSerializer(serializers.ModelSerializer[CtdcDataset]):
    reference = serializers.SerializerMethodField(help_text=gettext_lazy(
        "Always true: CTDC global reference data, not the coalition's cases."))

    class Meta:
        model = CtdcDataset
        fields = ["id", "label", "source_name", "row_count", "imported_at", "reference"]
        read_only_fields = fields

    def get_reference(self, dataset: CtdcDataset) -> bool:
        return True


class CtdcDatasetListView(ListAPIView[CtdcDataset]):
    """The CTDC reference datasets imported, newest first."""

    serializer_class = CtdcDatasetSerializer

    @extend_schema(operation_id="stats_ctdc_datasets_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_viewer(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CtdcDataset]:
        return access.for_user(request_user(self.request), CtdcDataset).order_by(
            "-imported_at", "-id")
