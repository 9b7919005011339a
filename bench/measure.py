"""The measurements. Import only after ``django.setup()`` (see :mod:`bench.worker`).

Each ``bench_*`` function returns a :class:`~bench.report.Benchmark` whose
rows carry the target, the measured value and whether it was met.
"""

from __future__ import annotations

import functools
import gzip
import os
import statistics
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.apps.registry import Apps
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.staticfiles import finders
from django.db import connection, models, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.report import (
    Benchmark,
    at_least,
    kilobytes,
    megabytes,
    milliseconds,
    rate,
)
from homeward.accounts.models import Organisation, User
from homeward.audit.chain import entry_content, entry_hash
from homeward.audit.models import AuditChainHead, AuditEntry
from homeward.audit.services import Action, audit_record, audit_verify
from homeward.core.crypto import blind_index, decrypt, encrypt
from homeward.core.fields import EncryptedDateField, EncryptedTextField
from homeward.core.rotation import rotate_keys

# A 40-character synthetic value (Cyrillic, as names and addresses mostly are).
VALUE = ("Тестовое значение для замера " * 2)[:40]
ASSOCIATED_DATA = "bench.probe.value"
BENCH_IP = "192.0.2.10"  # TEST-NET-1, documentation range
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"

ADMIN_USERNAME = "orgadmin"  # the demo organisation administrator
ADMIN_ORGANISATION = "TVAC"
CASE_WORKER_USERNAME = "caseworker"  # the demo case worker, also of TVAC
COORDINATOR_USERNAME = "tvaccoordinator"  # the demo coordinator of TVAC


def progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_rate(fn: Callable[[int], object], n: int, repeats: int) -> float:
    """Median of ``n / seconds`` over ``repeats`` runs of ``fn(n)`` (after a warm-up)."""
    fn(max(1, n // 10))
    return statistics.median(n / timed(lambda: fn(n)) for _ in range(repeats))


# --- 1. field encryption ---------------------------------------------------------


def bench_crypto() -> Benchmark:
    bench = Benchmark(
        "Field encryption",
        "AES-256-GCM sealing and opening of one 40-character value "
        f"({len(VALUE.encode())} bytes of UTF-8) with `homeward.core.crypto`, and its "
        "HMAC-SHA256 blind index; single thread, median of 5 runs.",
    )
    token = encrypt(VALUE, associated_data=ASSOCIATED_DATA)
    assert decrypt(token, associated_data=ASSOCIATED_DATA) == VALUE

    def encrypt_n(n: int) -> None:
        for _ in range(n):
            encrypt(VALUE, associated_data=ASSOCIATED_DATA)

    def decrypt_n(n: int) -> None:
        for _ in range(n):
            decrypt(token, associated_data=ASSOCIATED_DATA)

    def blind_n(n: int) -> None:
        for _ in range(n):
            blind_index(VALUE, purpose="bench.value")

    for what, fn, n, target in (
        ("`encrypt` of a 40-character value", encrypt_n, 10_000, 20_000),
        ("`decrypt` of a 40-character value", decrypt_n, 10_000, 20_000),
        ("`blind_index` of a 40-character value", blind_n, 25_000, 50_000),
    ):
        ops = median_rate(fn, n, 5)
        bench.add(what, f"≥ {rate(target)}", rate(ops), at_least(ops, target))
    return bench


# --- 5. sign-in cost -------------------------------------------------------------


def bench_sign_in(user: User) -> Benchmark:
    hasher = Argon2PasswordHasher()
    bench = Benchmark(
        "Sign-in cost",
        "One `user.check_password` with the production hasher "
        f"`Argon2PasswordHasher` (time cost {hasher.time_cost}, memory "
        f"{hasher.memory_cost // 1024} MiB, parallelism {hasher.parallelism}); "
        "median of 7 checks of the right password.",
    )
    password = "bench-" + os.urandom(12).hex()  # never printed
    with override_settings(PASSWORD_HASHERS=[ARGON2]):
        user.set_password(password)
        user.save(update_fields=["password"])
        assert user.password.startswith("argon2$")
        assert user.check_password(password)  # warm-up
        seconds = statistics.median(
            timed(lambda: user.check_password(password)) for _ in range(7)
        )
    ok = 0.020 <= seconds <= 1.0
    bench.add("argon2 password check", "20 ms – 1,000 ms", milliseconds(seconds), ok)
    return bench


# --- 2. audit chain --------------------------------------------------------------


def _fill_chain(total: int, actor: User, organisation: Organisation) -> int:
    """Append entries until the chain holds ``total``, in bulk (same hashing
    as ``audit_record``, so ``audit_verify`` must accept them)."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        prev, count = head.last_hash, head.count
        batch: list[AuditEntry] = []
        for i in range(count, total):
            values: dict[str, Any] = {
                "at": timezone.now(),
                "actor_id": actor.pk,
                "actor_name": actor.get_username(),
                "organisation_id": organisation.pk,
                "organisation_code": organisation.code,
                "action": Action.VIEW,
                "target_type": "bench.Record",
                "target_id": str(i),
                "fields": [],
                "detail": {},
                "ip": BENCH_IP,
            }
            digest = entry_hash(prev_hash=prev, content=entry_content(**values))
            batch.append(AuditEntry(prev_hash=prev, hash=digest, **values))
            prev = digest
            if len(batch) == 2000:
                AuditEntry.objects.bulk_create(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)
        added = total - count
        AuditChainHead.objects.filter(pk=1).update(last_hash=prev, count=count + added)
    return added


def bench_audit(actor: User, organisation: Organisation) -> Benchmark:
    bench = Benchmark(
        "Audit log",
        "`audit_record(action=\"record.view\", ...)` outside any transaction, so every "
        "append is its own transaction (lock the chain head, hash, insert, commit): "
        "2,000 appends in 4 rounds of 500, median round. Then the chain is filled up to "
        "20,000 entries and `audit_verify()` walks all of it: median of 3 walks, plus "
        "one more under `tracemalloc` for the peak memory.",
    )
    assert not connection.in_atomic_block

    def append(n: int) -> None:
        for i in range(n):
            audit_record(
                action=Action.VIEW, actor=actor, organisation=organisation,
                target_type="bench.Record", target_id=str(i), ip=BENCH_IP,
            )

    rounds = [500 / timed(lambda: append(500)) for _ in range(4)]
    appended = statistics.median(rounds)
    bench.add(
        "append, one transaction each", "≥ 300/s", rate(appended), at_least(appended, 300)
    )

    total = 20_000
    _fill_chain(total, actor, organisation)
    results = []

    def verify() -> None:
        results.append(audit_verify())

    verify_rate = statistics.median(total / timed(verify) for _ in range(3))
    intact = all(r.ok and r.checked == total for r in results)
    bench.add(
        f"`audit_verify()` over {total:,} entries", "≥ 20,000/s",
        rate(verify_rate) + ("" if intact else " (chain reported broken!)"),
        intact and at_least(verify_rate, 20_000),
    )
    with traced() as peak:
        result = audit_verify()
    bench.add(
        "`audit_verify()` peak memory", "≤ 50 MB", megabytes(peak()),
        result.ok and peak() <= 50_000_000,
    )
    return bench


@contextmanager
def traced() -> Iterator[Callable[[], int]]:
    """``with traced() as peak:`` — ``peak()`` is the traced heap peak in bytes."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result: dict[str, int] = {}
    try:
        yield lambda: result["peak"]
    finally:
        result["peak"] = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()


# --- 3. key rotation -------------------------------------------------------------


def _probe_model() -> type[models.Model]:
    """A model with two encrypted columns, in its own app registry (as the
    rotation tests do), so it never joins the real schema."""

    class BenchRotationProbe(models.Model):
        name = EncryptedTextField(null=True, blank=True)
        born = EncryptedDateField(null=True, blank=True)

        class Meta:
            apps = Apps()
            app_label = "core"
            db_table = "bench_rotationprobe"

        def __str__(self) -> str:
            return f"probe {self.pk}"

    return BenchRotationProbe


def bench_rotation() -> Benchmark:
    rows = 5_000
    bench = Benchmark(
        "Key rotation",
        f"`rotate_keys()` over a scratch table of {rows:,} rows with two encrypted "
        f"columns ({2 * rows:,} values) after a new key is added: decrypt, re-encrypt, "
        "compare-and-set update, batches of 500 each in its own transaction. Median "
        "of 3 rotations (back and forth between two keys). The real schema has "
        f"{_real_encrypted_models()} model(s) with encrypted fields, so the scratch "
        "table stands in for them.",
    )
    probe = _probe_model()
    k1, k2 = os.urandom(32), os.urandom(32)
    with connection.schema_editor() as editor:
        editor.create_model(probe)
    try:
        born = timezone.now().date()
        with override_settings(HOMEWARD_ENCRYPTION_KEYS={"b1": k1}):
            probe.objects.bulk_create(  # type: ignore[attr-defined]
                [probe(name=VALUE, born=born) for _ in range(rows)], batch_size=1000
            )
        speeds, complete = [], True
        for keyring in ({"b1": k1, "b2": k2}, {"b2": k2, "b1": k1}, {"b1": k1, "b2": k2}):
            with override_settings(HOMEWARD_ENCRYPTION_KEYS=keyring):
                start = time.perf_counter()
                report = rotate_keys(models=[probe])
                speeds.append(report.reencrypted / (time.perf_counter() - start))
                complete = complete and report.ok and report.reencrypted == 2 * rows
        speed = statistics.median(speeds)
        bench.add(
            "values re-encrypted", "≥ 1,000/s (a million values in < 17 min)",
            rate(speed) + ("" if complete else " (incomplete!)"),
            complete and at_least(speed, 1_000),
        )
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(probe)
    return bench


def _real_encrypted_models() -> int:
    from homeward.core.rotation import models_with_encrypted_fields

    return len(models_with_encrypted_fields())


# --- 4. page weight and render time ------------------------------------------------


class _AssetParser(HTMLParser):
    """Collects the URLs a browser fetches right away: stylesheets, icons,
    preloads, scripts and images."""

    LINK_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url: str | None = None
        if tag == "link":
            rels = set((found.get("rel") or "").lower().split())
            if rels & self.LINK_RELS:
                url = found.get("href")
        elif tag in ("script", "img"):
            url = found.get("src")
        if url and not url.startswith("data:") and url not in self.urls:
            self.urls.append(url)


def _body(response: HttpResponseBase) -> bytes:
    try:
        if response.streaming:
            return b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return bytes(response.content)  # type: ignore[attr-defined]
    finally:
        response.close()


def _asset(client: Client, url: str) -> tuple[bytes | None, bool]:
    """``(bytes, served)``: the asset through the client (WhiteNoise, ``served``
    True) or else read through the staticfiles finders; None if not found."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None, False  # another host: not ours to measure (there should be none)
    response = client.get(parts.path)
    if response.status_code == 200:
        return _body(response), True
    response.close()
    static_url = str(settings.STATIC_URL)
    if parts.path.startswith(static_url):
        found = finders.find(parts.path[len(static_url):])
        if isinstance(found, str):
            with open(found, "rb") as handle:
                return handle.read(), False
    return None, False


def _get_ok(client: Client, path: str) -> None:
    response = client.get(path)
    response.close()
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered HTTP {response.status_code}")


def signed_in_client(user: User) -> Client:
    """A client signed in as ``user`` with the second factor verified."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def add_weight(bench: Benchmark, name: str, client: Client, response: HttpResponseBase) -> int:
    """A row for the page's weight: its HTML plus every asset it references,
    each gzip-compressed as a browser would download it on a first visit.
    Returns the compressed total."""
    html = _body(response)
    parser = _AssetParser()
    parser.feed(html.decode("utf-8", errors="replace"))
    raw, compressed, requests, missing, unserved = len(html), len(gzip.compress(html)), 1, 0, 0
    for url in parser.urls:
        data, served = _asset(client, url)
        if data is None:
            missing += 1
            continue
        raw += len(data)
        compressed += len(gzip.compress(data))
        requests += 1
        unserved += not served
    note = f" ({kilobytes(raw)} uncompressed, {requests} requests"
    if unserved:
        note += f", {unserved} read from the finders"
    note += f", {missing} asset(s) not found)" if missing else ")"
    bench.add(
        f"{name}: weight, gzip", "≤ 150.0 kB", kilobytes(compressed) + note,
        compressed <= 150_000 and not missing,
    )
    return compressed


def bench_pages(admin: User) -> Benchmark:
    gets = 20
    bench = Benchmark(
        "Page weight and server time",
        "Each page fetched with Django's test `Client` (the whole middleware stack, "
        "in-process, so no network), as an anonymous visitor for the sign-in page and "
        "as the demo organisation administrator for the others (the audit log then "
        "holds 20,000+ entries of that organisation). Weight: the HTML plus every "
        "stylesheet, script and image it references, served by WhiteNoise; "
        "gzip-compressed size (`gzip.compress`, each file separately) is what a browser "
        f"downloads on a first visit. Time: median of {gets} GETs after 2 warm-ups.",
    )
    pages = [
        ("Sign-in page", Client(HTTP_HOST="localhost"), reverse("accounts:login")),
        ("Dashboard", signed_in_client(admin), reverse("accounts:dashboard")),
        ("Organisation list", signed_in_client(admin), reverse("accounts:organisation-list")),
        ("Audit log", signed_in_client(admin), reverse("audit:entry-list")),
    ]
    for name, client, path in pages:
        response = client.get(path)
        if response.status_code != 200:
            bench.add(f"{name}: GET", "HTTP 200", f"HTTP {response.status_code}", False)
            continue
        add_weight(bench, name, client, response)
        get = functools.partial(_get_ok, client, path)
        for _ in range(2):
            get()
        seconds = statistics.median(timed(get) for _ in range(gets))
        bench.add(
            f"{name}: server time", "≤ 150 ms", milliseconds(seconds), seconds <= 0.150
        )
    return bench


# --- all of it -------------------------------------------------------------------


def _bench_cases() -> Benchmark:
    from bench.cases import bench_cases

    worker = User.objects.get(username=CASE_WORKER_USERNAME)
    return bench_cases(worker, Organisation.objects.get(code=ADMIN_ORGANISATION))


def _bench_hotline() -> Benchmark:
    from bench.hotline import bench_hotline

    coordinator = User.objects.get(username=COORDINATOR_USERNAME)
    return bench_hotline(coordinator, Organisation.objects.get(code=ADMIN_ORGANISATION))


def _bench_shelters() -> Benchmark:
    from bench.shelters import bench_shelters

    return bench_shelters(
        User.objects.get(username=COORDINATOR_USERNAME),
        User.objects.get(username=CASE_WORKER_USERNAME),
        Organisation.objects.get(code=ADMIN_ORGANISATION),
    )


def _bench_reintegration() -> Benchmark:
    from bench.reintegration import bench_reintegration

    return bench_reintegration()


def _bench_stats() -> Benchmark:
    from bench.stats import bench_stats

    return bench_stats()


def run_all(only: str = "") -> list[Benchmark]:
    """Every measurement in turn; with ``only``, those whose label contains it."""
    from homeward.accounts.demo import seed_demo

    progress("seeding the demo organisations and users")
    seed_demo()
    admin = User.objects.get(username=ADMIN_USERNAME)
    organisation = Organisation.objects.get(code=ADMIN_ORGANISATION)
    steps: list[tuple[str, Callable[[], Benchmark]]] = [
        ("field encryption", bench_crypto),
        ("sign-in cost", lambda: bench_sign_in(admin)),
        ("audit log", lambda: bench_audit(admin, organisation)),
        ("key rotation", bench_rotation),
        ("page weight and server time", lambda: bench_pages(admin)),
        ("case work at scale", _bench_cases),
        ("hotline analysis at scale", _bench_hotline),
        ("shelter network at scale", _bench_shelters),
        ("reintegration at scale", _bench_reintegration),
        ("statistics at scale", _bench_stats),
    ]
    results = []
    for label, step in steps:
        if only and only not in label:
            continue
        progress(label)
        try:
            results.append(step())
        except Exception as exc:  # keep the other measurements; report this one as failed
            traceback.print_exc(file=sys.stderr)
            broken = Benchmark(label.capitalize(), "The measurement raised an error.")
            broken.add("ran to the end", "no error", type(exc).__name__, False)
            results.append(broken)
    return results
