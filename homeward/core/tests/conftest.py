"""Browser fixtures for the core app's own tests.

Other apps import them from ``homeward.core.tests.browser`` directly (a
conftest.py only reaches tests in its own directory).
"""

from __future__ import annotations

from homeward.core.tests.browser import browser_page_fixture, browser_session_fixture

__all__ = ["browser_page_fixture", "browser_session_fixture"]
