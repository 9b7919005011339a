"""Every page carries a strict Content-Security-Policy and the related
headers, and no page relies on inline script, inline event handlers or
inline styles (which that policy would block). CSRF is enforced."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.models import Membership, User
from homeward.accounts.sudo import SESSION_KEY as SUDO_SESSION_KEY
from homeward.accounts.tests.factories import TEST_PASSWORD, totp_device
from homeward.audit.services import Action, audit_record

# --- inspecting HTML -------------------------------------------------------


@dataclass
class InlineCode:
    """Everything in a page that a ``script-src 'self'; style-src 'self'``
    policy would block."""

    problems: list[str] = field(default_factory=list)


class _InlineFinder(HTMLParser):
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = InlineCode()
        self.tags = 0
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src"):
            self.found.problems.append("inline <script> without src")
        if tag == "style":
            self.found.problems.append("inline <style> element")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.found.problems.append(f"style= attribute on <{tag}>")
            if name.startswith(("hx-on", "data-hx-on")):
                self.found.problems.append(f"htmx inline handler {name}= on <{tag}>")
            if name in self.URL_ATTRIBUTES and value and re.match(
                r"\s*(javascript|vbscript|data:text/html)", value, re.IGNORECASE
            ):
                self.found.problems.append(f"script URL in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    assert finder.tags > 10, "not an HTML page"
    return finder.found.problems


def test_the_finder_notices_what_it_looks_for() -> None:
    page = "<html><head><title>x</title></head><body>" + "<p>a</p>" * 10 + (
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<a href="#" onclick="x()">a</a><div style="color:red"></div>'
        '<a href=" javascript:alert(1)">b</a><style>p{}</style>'
        '<button hx-on:click="x()">c</button><svg><path onload="x()"/></svg>'
        "</body></html>"
    )
    assert inline_code(page) == [
        "inline <script> without src",
        "event handler onclick= on <a>",
        "style= attribute on <div>",
        "script URL in href= on <a>",
        "inline <style> element",
        "htmx inline handler hx-on:click= on <button>",
        "event handler onload= on <path>",
    ]


# --- pages to check --------------------------------------------------------


@dataclass(frozen=True)
class Page:
    who: str | None  # a role at HOME, "siteadmin", "new" (no authenticator), or None
    path: str
    status: int = 200
    sudo: bool = False


def _member_pk(role: str) -> int:
    return Membership.objects.get(user__username=f"{role}@home").pk


PAGES: dict[str, Page] = {
    "login": Page(None, "/accounts/login/"),
    "login-with-next": Page(None, "/accounts/login/?next=/orgs/"),
    "not-found-anonymous": Page(None, "/no/such/page/", 404),
    "dashboard-case-worker": Page("case_worker", "/dashboard/"),
    "dashboard-org-admin": Page("org_admin", "/dashboard/"),
    "dashboard-researcher": Page("researcher", "/dashboard/"),
    "dashboard-site-admin": Page("siteadmin", "/dashboard/"),
    "organisation-list": Page("case_worker", "/orgs/"),
    "organisation-list-site-admin": Page("siteadmin", "/orgs/?q=HOME"),
    "organisation-detail": Page("org_admin", "/orgs/HOME/"),
    "organisation-create": Page("siteadmin", "/orgs/new/"),
    "organisation-edit": Page("siteadmin", "/orgs/HOME/edit/"),
    "member-list": Page("org_admin", "/orgs/HOME/members/"),
    "member-create": Page("org_admin", "/orgs/HOME/members/new/"),
    "member-edit": Page("org_admin", "/orgs/HOME/members/{case_worker}/"),
    "member-delete": Page("org_admin", "/orgs/HOME/members/{case_worker}/remove/", sudo=True),
    "audit-list": Page("org_admin", "/audit/"),
    "audit-list-filtered": Page("org_admin", "/audit/?action=logout&actor=x"),
    "audit-list-site-admin": Page("siteadmin", "/audit/"),
    "security": Page("case_worker", "/accounts/security/"),
    "two-factor-setup": Page("case_worker", "/accounts/2fa/setup/"),
    "two-factor-setup-new-user": Page("new", "/accounts/2fa/setup/"),
    "recovery-codes-confirm": Page("case_worker", "/accounts/2fa/recovery-codes/", sudo=True),
    "confirm-password": Page("org_admin", "/accounts/confirm-password/?next=/audit/"),
    "forbidden": Page("case_worker", "/audit/", 403),
    "not-found": Page("case_worker", "/orgs/AWAY/", 404),
}


@pytest.fixture
def fetch(cast, login: Callable[[User], Client], client: Client) -> Callable[[Page], object]:
    def _fetch(page: Page):
        if page.who is None:
            browser = client
        elif page.who == "new":
            user = cast.user("researcher")
            TOTPDevice.objects.filter(user=user).delete()
            Membership.objects.filter(user=user).update(role="case_worker")
            browser = client
            browser.post("/accounts/login/",
                         {"username": user.username, "password": TEST_PASSWORD})
        else:
            user = cast.site_admin if page.who == "siteadmin" else cast.user(page.who)
            browser = login(user)
        if page.sudo:
            session = browser.session
            session[SUDO_SESSION_KEY] = 1e12
            session.save()
        # Something for the audit pages to show.
        audit_record(action=Action.VIEW, actor=cast.user("case_worker"),
                     organisation=cast.home, target_type="core.Thing", target_id="1")
        path = page.path.format(case_worker=_member_pk("case_worker"))
        return browser.get(path)

    return _fetch


@pytest.fixture(params=list(PAGES), ids=list(PAGES))
def page_response(request: pytest.FixtureRequest, fetch):
    page = PAGES[request.param]
    response = fetch(page)
    assert response.status_code == page.status, response.get("Location")
    assert response["Content-Type"].startswith("text/html")
    return page, response


# --- headers ---------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_every_page_carries_a_strict_content_security_policy(page_response) -> None:
    _page, response = page_response
    header = response["Content-Security-Policy"]
    directives = _csp(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    for weakening in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:",
                      "https:"):
        assert weakening not in header.split(), weakening
    assert "unsafe" not in header


def test_every_page_carries_the_other_security_headers(page_response) -> None:
    _page, response = page_response
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_are_never_stored_by_caches(page_response) -> None:
    page, response = page_response
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-store" in cache_control
    if page.who is not None:
        assert "public" not in cache_control


def test_no_page_contains_inline_script_handlers_or_styles(page_response) -> None:
    _page, response = page_response
    assert inline_code(response.content.decode()) == []


def test_the_csrf_token_is_sent_to_htmx_as_a_header_not_a_script(login, cast) -> None:
    html = login(cast.user("case_worker")).get("/dashboard/").content.decode()
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'>", html)
    assert '"allowEval": false' in html
    assert '"allowScriptTags": false' in html


def test_the_recovery_codes_page_has_no_inline_code(login, cast) -> None:
    client = login(cast.user("case_worker"))
    session = client.session
    session[SUDO_SESSION_KEY] = 1e12
    session.save()
    response = client.get(client.post("/accounts/2fa/recovery-codes/")["Location"])
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []
    assert "no-store" in response["Cache-Control"]


def test_static_files_are_served_without_inline_code_rules_breaking(
    client: Client, db: None
) -> None:
    response = client.get("/static/homeward/js/app.js")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_json_answers_carry_the_headers_too(login, cast) -> None:
    response = login(cast.user("case_worker")).get("/api/v1/me/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_https_cookies_and_hsts_are_production_settings() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"


# --- CSRF ------------------------------------------------------------------


def test_a_login_post_without_csrf_token_is_refused(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": "someone", "password": "whatever"}
    )
    assert response.status_code == 403
    assert response["Content-Security-Policy"]
    assert inline_code(response.content.decode()) == []


def test_a_login_post_with_the_csrf_token_goes_through(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match is not None
    token = match.group(1)
    user = cast.user("researcher")
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def _verified_csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    assert client.get("/dashboard/").status_code == 200
    return client


@pytest.mark.parametrize(
    "path", ["/accounts/logout/", "/accounts/language/", "/accounts/switch-organisation/",
             "/orgs/HOME/members/new/"]
)
def test_signed_in_posts_without_csrf_token_are_refused(cast, path: str) -> None:
    client = _verified_csrf_client(cast.user("org_admin"))
    response = client.post(path, {"language": "ru", "membership": "1"})
    assert response.status_code == 403
    user = cast.user("org_admin")
    user.refresh_from_db()
    assert user.language == ""
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_an_api_write_without_csrf_token_is_refused(cast) -> None:
    client = _verified_csrf_client(cast.user("case_worker"))
    response = client.post("/api/v1/me/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
