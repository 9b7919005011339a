"""Helpers for end-to-end tests in a real Chromium (sync Playwright).

Use from any app's tests::

    from homeward.core.tests.browser import (
        browser_page_fixture,  # noqa: F401 - the browser_page fixture
        browser_session_fixture,  # noqa: F401 - the browser_session fixture
        save_screenshot,
        totp_code,
    )

    @pytest.mark.browser
    def test_something(browser_page): ...

Import both fixtures even if the test asks only for ``browser_page``: pytest
resolves a fixture's own dependencies by name in the test module too. (They
live in this module so every app can import them; a conftest.py only reaches
its own directory. They are defined as ``*_fixture`` with ``name=`` so that
the test's argument does not shadow the import, ruff F811. Listing this
module in ``pytest_plugins`` in the root conftest.py would make the imports
unnecessary.)

* ``browser_page`` — a page in a fresh browser context, served by pytest-django's
  ``live_server`` (so the test gets ``transactional_db``). The test fails if the
  page logs a console error, throws an uncaught exception or violates the
  Content-Security-Policy.
* ``browser_session`` — the same, for tests that need several independent
  contexts (``browser_session.new_page()``), e.g. a second device.
* ``totp_code(user)`` — the current authenticator code for a user's confirmed
  device, never one django-otp has already accepted.
* ``totp_code_for_secret(secret)`` — the code for a base32 secret shown on the
  enrolment page.
* ``save_screenshot(page, name)`` — a PNG under ``test-results/screenshots/``.
* ``overflowing_elements(page)`` — what sticks out of its ``.panel`` (long
  Russian words are the usual cause).
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from homeward.accounts.models import User
from homeward.audit.models import GENESIS_HASH

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT_DIR = REPO_ROOT / "test-results" / "screenshots"
DEFAULT_TIMEOUT_MS = 10_000

# Chromium reports CSP violations on the console already; this makes them
# unmistakable in the failure message. Init scripts are injected by the
# browser driver, so the page's own CSP does not block this one.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


@dataclasses.dataclass
class BrowserSession:
    """One Chromium for one test; any number of isolated contexts."""

    browser: Browser
    base_url: str
    errors: list[str] = dataclasses.field(default_factory=list)
    contexts: list[BrowserContext] = dataclasses.field(default_factory=list)

    def new_page(self, *, locale: str = "en-GB") -> Page:
        """A page in a fresh context (own cookies): a new device, as it were."""
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=locale,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(_CSP_LISTENER)
        self.contexts.append(context)
        page = context.new_page()
        self.watch(page)
        return page

    def watch(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type != "error":
                return
            source = message.location.get("url", "")
            where = f" ({source})" if source and source != page.url else ""
            self.errors.append(f"console error on {page.url}: {message.text}{where}")

        def on_page_error(error: Exception) -> None:
            self.errors.append(f"uncaught exception on {page.url}: {error}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)

    @property
    def pages(self) -> list[Page]:
        return [page for context in self.contexts for page in context.pages]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "page"


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Write ``test-results/screenshots/<name>.png`` and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    stem = _slug(name.removesuffix(".png"))
    path = SCREENSHOT_DIR / f"{stem}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- letting transactional tests clean up the audit log ---------------------

_PG_TABLES_WITH_TRIGGERS = """
SELECT DISTINCT c.relname
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND n.nspname = current_schema()
"""


def _triggers_off_and_on(connection: BaseDatabaseWrapper) -> tuple[list[str], list[str]]:
    """Statements that switch every user-defined trigger off, and back on.

    Read from the database, not hard-coded, so the audit app's protections
    (append-only entries, a chain head that only moves forward, and whatever
    comes next) are all covered.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_TABLES_WITH_TRIGGERS)
            tables = sorted(row[0] for row in cursor.fetchall())
            return (
                [f"ALTER TABLE {quote(t)} DISABLE TRIGGER USER" for t in tables],
                [f"ALTER TABLE {quote(t)} ENABLE TRIGGER USER" for t in tables],
            )
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            )
            triggers = cursor.fetchall()
            return (
                [f"DROP TRIGGER {quote(name)}" for name, _ in triggers],
                [sql for _, sql in triggers],
            )
    return [], []


def _flush_with_triggers_off(
    connection: BaseDatabaseWrapper, execute_sql_flush: Callable[[list[str]], None]
) -> Callable[[list[str]], None]:
    """Wrap ``ops.execute_sql_flush`` so the database's triggers are off for
    the flush only. It all runs in one transaction (both databases roll back
    DDL), so a failed flush leaves the triggers in place."""

    def flush(sql_list: list[str]) -> None:
        off, on = _triggers_off_and_on(connection)
        # The audit migrations create the chain head row; put it back.
        head = (
            "INSERT INTO audit_auditchainhead (id, last_hash, count) "
            f"VALUES (1, '{GENESIS_HASH}', 0)"
        )
        execute_sql_flush([*off, *sql_list, head, *on])

    return flush


def allow_audit_log_flush() -> None:
    """Let ``transactional_db`` empty the tables after each test.

    Its flush deletes every row, which the audit log's triggers refuse
    (entries are append-only, the chain head only moves forward). This wraps
    the flush of every database connection of this process (once; it stays
    for the rest of the test session). Any test that
    uses ``transactional_db`` or ``live_server`` needs it; ``browser_session``
    calls it.
    """
    for connection in connections.all():
        flush = connection.ops.execute_sql_flush
        if not getattr(flush, "homeward_audit_unlocked", False):
            wrapped = _flush_with_triggers_off(connection, flush)
            wrapped.homeward_audit_unlocked = True  # type: ignore[attr-defined]
            connection.ops.execute_sql_flush = wrapped  # type: ignore[method-assign,assignment]


_OVERFLOW_JS = """(container) => {
  const out = [];
  for (const box of document.querySelectorAll(container)) {
    const edge = box.getBoundingClientRect().right + 1;
    for (const el of box.querySelectorAll("*")) {
      if (el.closest(".table-wrap") && !el.classList.contains("table-wrap")) continue;
      if (el.getBoundingClientRect().right > edge) {
        out.push(el.tagName.toLowerCase() + ": " + el.textContent.trim().slice(0, 60));
      }
    }
  }
  return out;
}"""


def overflowing_elements(page: Page, container: str = ".panel") -> list[str]:
    """Elements whose right edge lies outside their ``container`` (tables
    inside ``.table-wrap`` scroll by design and are not counted)."""
    found: list[str] = page.evaluate(_OVERFLOW_JS, container)
    return found


@pytest.fixture(name="browser_session")
def browser_session_fixture(
    request: pytest.FixtureRequest, live_server, monkeypatch: pytest.MonkeyPatch
) -> Iterator[BrowserSession]:
    """One Chromium for the test; ``.new_page()`` opens another context."""
    allow_audit_log_flush()
    # Sync Playwright runs an asyncio loop in this thread; Django then refuses
    # ORM calls from the test body unless told that this is deliberate.
    # Scoped to the test through monkeypatch, so other tests keep the check.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    failures_before = request.session.testsfailed
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        session = BrowserSession(browser=browser, base_url=live_server.url)
        try:
            yield session
        finally:
            if request.session.testsfailed > failures_before:
                # The test body failed: keep a picture of every open page.
                for index, page in enumerate(session.pages):
                    with contextlib.suppress(Exception):  # best effort only
                        save_screenshot(page, f"FAILED-{request.node.name}-{index}")
            for context in session.contexts:
                context.close()
            browser.close()
            # Inside ``sync_playwright`` the test runs in another contextvars
            # context, where Django's connection handler (an asgiref Local)
            # opens its own database connections. Close them here, in that
            # context, or they outlive the test (PostgreSQL then refuses to
            # drop the test database: "being accessed by other users").
            connections.close_all()
    if session.errors:
        pytest.fail(
            "The browser reported errors:\n" + "\n".join(f"  - {e}" for e in session.errors),
            pytrace=False,
        )


@pytest.fixture(name="browser_page")
def browser_page_fixture(browser_session: BrowserSession) -> Page:
    """A fresh page (own context) against ``live_server``; relative URLs work."""
    return browser_session.new_page()


# --- second factor -------------------------------------------------------


def _code(totp: TOTP) -> str:
    return f"{totp.token():0{totp.digits}d}"


def totp_code_for_secret(secret: str, *, step: int = 30, digits: int = 6) -> str:
    """The current code for a base32 secret (as an authenticator app computes it)."""
    padded = secret.strip().replace(" ", "").upper()
    padded += "=" * (-len(padded) % 8)
    return _code(TOTP(base64.b32decode(padded), step=step, digits=digits))


def totp_code(user_or_device: User | TOTPDevice) -> str:
    """A code the user's confirmed TOTP device will accept right now.

    django-otp accepts each time step once (``device.last_t``). When the
    current step is used up (a second sign-in within 30 s), this returns the
    code of the next step, which the device's tolerance of one step accepts —
    as it would from a phone whose clock runs a few seconds fast. django-otp
    then records the offset as ``drift``, which is read back here, so any
    number of sign-ins in a row work. Only if even that is exhausted does it
    wait for the clock.
    """
    if isinstance(user_or_device, TOTPDevice):
        device = TOTPDevice.objects.get(pk=user_or_device.pk)
    else:
        device = TOTPDevice.objects.get(user=user_or_device, confirmed=True)
    while True:
        now = time.time()
        totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                    drift=device.drift)
        totp.time = now
        current = totp.t()
        wanted = max(current, device.last_t + 1)
        if wanted <= current + device.tolerance:
            totp.drift += wanted - current
            return _code(totp)
        time.sleep(device.step - (now - device.t0) % device.step + 0.05)


def wrong_totp_code(user: User) -> str:
    """A 6-digit code that is none of the codes the device would accept now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift)
    valid = set()
    for offset in range(-device.tolerance - 1, device.tolerance + 2):
        totp.drift = device.drift + offset
        valid.add(_code(totp))
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid)


def sign_in(page: Page, user: User, password: str | None = None) -> None:
    """Sign in through the real pages: user name and password, then the
    authenticator code; ends on the dashboard. Works whatever the language
    of the pages (the account's saved language applies after the password)."""
    from homeward.accounts.tests.factories import TEST_PASSWORD

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password or TEST_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.locator("#id_token").fill(totp_code(user))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
