"""Access expectations of the job pages: only the job's creator (and site
administrators) may see a job; everyone else gets 404, colleagues included."""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import NOT_FOUND, Expect
from homeward.jobs.models import Job
from homeward.jobs.registry import Report, job

PROBE = "jobs.test-probe"


@job(PROBE, title="Test probe", results={"done": "Done"})
def probe_job(job: Job, report: Report) -> dict[str, int]:
    """A job kind for tests: succeeds, or fails with ``params["fail"]``."""
    if job.params.get("fail"):
        raise RuntimeError("secret value that must not be logged")
    total = int(job.params.get("total", 3))
    for done in range(1, total + 1):
        report(done, total)
    return {"done": total}


def coordinators_job(cast: Any) -> dict[str, Any]:
    created = Job.objects.create(
        kind=PROBE, created_by=cast.user(Role.COORDINATOR, "home"), organisation=cast.home
    )
    return {"pk": created.pk}


CREATOR = frozenset({Role.COORDINATOR})

EXPECTATIONS: list[Expect] = [
    # Everyone signed in has a list (of their own jobs).
    Expect("jobs:job-list"),
    Expect("jobs:job-detail", kwargs=coordinators_job, allowed=CREATOR, scoped=True,
           others=NOT_FOUND),
    Expect("jobs:job-status", kwargs=coordinators_job, allowed=CREATOR, scoped=True,
           others=NOT_FOUND),
]
