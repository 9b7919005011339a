"""Referrals between organisations and transfers of responsibility
(``/reintegration/referrals/``): the two queues, sending, answering,
revoking, and the receiver's view of what was shared."""

from __future__ import annotations

from django.urls import path

from homeward.reintegration import views_referrals as views

urlpatterns = [
    path("", views.referral_list, name="referral-list"),
    path("new/<str:code>/", views.referral_new, name="referral-new"),
    path("transfer/<str:code>/", views.transfer_new, name="transfer-new"),
    path("<int:pk>/", views.referral_detail, name="referral-detail"),
    path("<int:pk>/accept/", views.referral_accept, name="referral-accept"),
    path("<int:pk>/decline/", views.referral_decline, name="referral-decline"),
    path("<int:pk>/revoke/", views.referral_revoke, name="referral-revoke"),
    path("<int:pk>/complete/", views.referral_complete, name="referral-complete"),
    path("<int:pk>/assign/", views.referral_assign, name="referral-assign"),
    path("<int:pk>/export/", views.referral_export, name="referral-export"),
]
