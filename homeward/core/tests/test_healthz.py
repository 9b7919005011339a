"""/healthz: 200 while the database answers, 503 when it does not."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_not_cached(client: Client) -> None:
    assert "no-store" in client.get("/healthz")["Cache-Control"]


def test_healthz_needs_no_sign_in_and_sets_no_session(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Location" not in response
    assert not response.cookies


def test_healthz_works_for_a_signed_in_user_too(login, cast) -> None:
    client = login(cast.user("case_worker"))
    assert client.get("/healthz").status_code == 200


def test_healthz_is_not_held_up_by_the_second_factor(client: Client, cast) -> None:
    client.post("/accounts/login/", {"username": cast.user("case_worker").username,
                                     "password": "correct horse battery staple"})
    assert client.get("/dashboard/").status_code == 302  # second factor still due
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise OperationalError("could not connect to server: secret-host.internal:5432")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    monkeypatch.undo()

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    # No detail of the failure leaks out.
    assert b"secret-host" not in response.content


def test_healthz_answers_503_when_the_query_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class BrokenCursor:
        def __enter__(self) -> BrokenCursor:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def execute(self, sql: str, params: object = None) -> None:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", BrokenCursor)
    response = client.get("/healthz")
    monkeypatch.undo()

    assert response.status_code == 503


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_healthz_accepts_only_get_and_head(client: Client, method: str) -> None:
    response = getattr(client, method)("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_healthz_answers_head_for_load_balancers(client: Client) -> None:
    assert client.head("/healthz").status_code == 200

