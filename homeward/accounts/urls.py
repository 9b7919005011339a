from __future__ import annotations

from django.urls import path

from homeward.accounts.views import auth, dashboard, members, organisations

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/login/verify/", auth.otp_verify, name="otp-verify"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/language/", auth.language_view, name="language"),
    path("accounts/2fa/setup/", auth.two_factor_setup, name="2fa-setup"),
    path(
        "accounts/2fa/recovery-codes/", auth.recovery_codes_regenerate,
        name="2fa-recovery-codes",
    ),
    path(
        "accounts/2fa/recovery-codes/new/", auth.recovery_codes_new,
        name="2fa-recovery-codes-new",
    ),
    path("accounts/confirm-password/", auth.sudo_view, name="sudo"),
    path("accounts/security/", dashboard.security, name="security"),
    path("accounts/switch-organisation/", auth.switch_organisation, name="switch-organisation"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("orgs/", organisations.organisation_list, name="organisation-list"),
    path("orgs/new/", organisations.organisation_create, name="organisation-create"),
    path("orgs/<str:code>/", organisations.organisation_detail, name="organisation-detail"),
    path("orgs/<str:code>/edit/", organisations.organisation_edit, name="organisation-edit"),
    path("orgs/<str:code>/members/", members.member_list, name="member-list"),
    path("orgs/<str:code>/members/new/", members.member_create, name="member-create"),
    path("orgs/<str:code>/members/<int:pk>/", members.member_edit, name="member-edit"),
    path(
        "orgs/<str:code>/members/<int:pk>/remove/", members.member_delete,
        name="member-delete",
    ),
]
