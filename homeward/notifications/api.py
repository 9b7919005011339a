"""The caller's notifications, newest first: a kind, its title in the
caller's language, parameters (a case code, an organisation, a date —
never a name) and the link to follow."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.cases.api.common import request_user
from homeward.core import access
from homeward.notifications import kinds
from homeward.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    title = serializers.SerializerMethodField()
    params = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "params", "url", "created_at", "read_at"]
        read_only_fields = fields

    def get_title(self, notification: Notification) -> str:
        """In your language."""
        return kinds.title(notification.kind, notification.params or {})


class NotificationQuerySerializer(serializers.Serializer[Any]):
    unread = serializers.BooleanField(
        required=False, default=False, help_text=_("Only the notifications not read yet."),
    )


class NotificationListView(ListAPIView[Notification]):
    """Your own notifications (nobody else's), newest first."""

    serializer_class = NotificationSerializer

    @extend_schema(
        parameters=[NotificationQuerySerializer], operation_id="notifications_list"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        query = NotificationQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        queryset = access.for_user(request_user(self.request), Notification)
        if query.validated_data.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by("-created_at", "-id")
