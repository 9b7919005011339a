"""What a report counts: the period and the filters, in one value.

:class:`ReportFilter` is built by the page's form, the API's serializer
and the CLI's options, and recorded (``params()``) with every audited export
and every release. It never holds identifying data: dates, organisation
ids and category keys only.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from homeward.stats.choices import DateBasis


@dataclasses.dataclass(frozen=True)
class ReportFilter:
    # The organisations whose records are counted (ids; always explicit —
    # the callers pass what the user may see, see ``scope``).
    organisations: tuple[int, ...]
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    basis: str = DateBasis.REGISTRATION
    # The person's region of origin (as recorded, case-insensitive).
    region: str = ""
    # A ``cases.choices.Gender`` value.
    sex: str = ""
    # One of ``choices.AGE_BANDS`` or ``choices.UNKNOWN``.
    age_band: str = ""
    # ``choices.Minority`` value, or "" for everyone.
    minority: str = ""
    # For CTDC reports: the reference dataset counted.
    dataset: int | None = None
    # Count each person through one case only (their latest in the cohort):
    # a noisy release's sensitivity is per person, not per case.
    one_case_per_person: bool = False

    def params(self) -> dict[str, Any]:
        """The filter as JSON (audit rows, releases, job parameters)."""
        return {
            "organisations": list(self.organisations),
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "basis": self.basis,
            "region": self.region,
            "sex": self.sex,
            "age_band": self.age_band,
            "minority": self.minority,
            "dataset": self.dataset,
            "one_case_per_person": self.one_case_per_person,
        }

    @classmethod
    def from_data(
        cls, data: Mapping[str, Any], *, organisations: tuple[int, ...],
        dataset: int | None = None,
    ) -> ReportFilter:
        """The filter of a valid form's or serializer's data (``date_from``,
        ``date_to``, ``basis``, ``region``, ``sex``, ``age_band``,
        ``minority``; what is missing counts everyone), counting
        ``organisations`` — which the caller has checked against
        ``scope.report_organisations``."""
        return cls(
            organisations=organisations,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            basis=data.get("basis") or DateBasis.REGISTRATION,
            region=(data.get("region") or "").strip(),
            sex=data.get("sex") or "",
            age_band=data.get("age_band") or "",
            minority=data.get("minority") or "",
            dataset=dataset,
        )

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ReportFilter:
        def day(value: Any) -> datetime.date | None:
            return datetime.date.fromisoformat(value) if value else None

        return cls(
            organisations=tuple(int(pk) for pk in params.get("organisations") or ()),
            date_from=day(params.get("date_from")),
            date_to=day(params.get("date_to")),
            basis=str(params.get("basis") or DateBasis.REGISTRATION),
            region=str(params.get("region") or ""),
            sex=str(params.get("sex") or ""),
            age_band=str(params.get("age_band") or ""),
            minority=str(params.get("minority") or ""),
            dataset=int(params["dataset"]) if params.get("dataset") else None,
            one_case_per_person=bool(params.get("one_case_per_person")),
        )
