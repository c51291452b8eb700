"""What a plugin declares for a tax-matter application (涉税事项), and what its hooks receive.

A plugin returns :class:`ApplicationSpec` values from ``etax_applications``: the function the
application belongs to (declared by the same plugin), the 事项代码, the form as a msgspec Struct whose
fields carry Chinese titles, and the rules for attachments (电子资料). The platform renders and checks
the form, numbers and stores the application, runs the review and calls ``etax_application_decided``
with an :class:`ApplicationRecord` and the :class:`Decision` once a decision is committed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, TypeVar

import msgspec

from etax.platform.forms import schema_problems

Status = Literal["已提交", "受理中", "已办结", "不予受理", "需补正"]
SUBMITTED: Status = "已提交"
ACCEPTED: Status = "受理中"
COMPLETED: Status = "已办结"
REJECTED: Status = "不予受理"
CORRECTION: Status = "需补正"
STATUSES: tuple[Status, ...] = (SUBMITTED, ACCEPTED, CORRECTION, COMPLETED, REJECTED)
OPEN_STATUSES: tuple[Status, ...] = (SUBMITTED, ACCEPTED, CORRECTION)
"""Statuses in which the application is still being handled (its attachments cannot be deleted)."""

DecisionAction = Literal["accept", "complete", "reject", "correct"]
ACTION_LABELS: dict[str, str] = {
    "accept": "受理",
    "complete": "办结",
    "reject": "不予受理",
    "correct": "需补正",
}
TRANSITIONS: dict[str, dict[str, Status]] = {
    SUBMITTED: {"accept": ACCEPTED, "reject": REJECTED, "correct": CORRECTION},
    ACCEPTED: {"complete": COMPLETED, "reject": REJECTED, "correct": CORRECTION},
}
"""The decisions a reviewer may take in each status, and the status each leads to."""
COMMENT_REQUIRED: frozenset[str] = frozenset({"reject", "correct"})
"""Decisions that must say why (不予受理, 需补正)."""

DocumentKind = Literal["pdf", "png", "jpeg"]
KIND_LABELS: dict[str, str] = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG"}

MATTER_CODE = re.compile(r"^\d{6,8}$")
F = TypeVar("F", bound=msgspec.Struct)


class AttachmentRule(msgspec.Struct, frozen=True, kw_only=True):
    """Which 电子资料 an application takes: allowed kinds (by content), how many, whether required."""

    kinds: tuple[DocumentKind, ...] = ("pdf", "png", "jpeg")
    max_count: int = 5
    required: bool = False
    label: str = "附报资料"
    hint: str = ""

    @property
    def kinds_label(self) -> str:
        return "、".join(KIND_LABELS[kind] for kind in self.kinds)


class ApplicationSpec(msgspec.Struct, frozen=True, kw_only=True):
    """One application a plugin offers.

    ``form`` is a msgspec Struct: every field ``Annotated[<type>, msgspec.Meta(title="中文标签", …)]``
    with type ``str``, ``int``, ``Decimal`` (money, two places), ``date``, ``bool`` or a ``Literal`` of
    strings (a select), optionally ``| None``. It may define ``problems() -> dict[str, str]`` for rules
    across fields and ``async check_applicant(applicant) -> dict[str, str]`` for rules that depend on
    the applying taxpayer; both return ``{field name: Chinese message}``.
    """

    function: str
    matter_code: str
    form: type[msgspec.Struct]
    attachments: AttachmentRule = msgspec.field(default_factory=AttachmentRule)
    description: str = ""
    plugin: str = ""

    def problems(self) -> list[str]:
        """What is wrong with this declaration (empty when it is fine)."""
        found: list[str] = []
        if not MATTER_CODE.match(self.matter_code):
            found.append(
                f"application {self.function!r}: 事项代码 must be 6 to 8 digits, got {self.matter_code!r}"
            )
        if not isinstance(self.form, type) or not issubclass(self.form, msgspec.Struct):
            found.append(f"application {self.function!r}: form must be a msgspec Struct type")
            return found
        found += [f"application {self.function!r}: {problem}" for problem in schema_problems(self.form)]
        rule = self.attachments
        if not rule.kinds or len(set(rule.kinds)) != len(rule.kinds):
            found.append(f"application {self.function!r}: attachment kinds must be distinct and not empty")
        if not 0 <= rule.max_count <= 20 or (rule.required and rule.max_count == 0):
            found.append(
                f"application {self.function!r}: attachment max_count must be 0-20 (1+ when required)"
            )
        return found


class Applicant(msgspec.Struct, frozen=True, kw_only=True):
    """Who applies: the taxpayer (an enterprise, or the client an agency acts for) and the person."""

    taxpayer_id: int
    taxpayer_name: str
    actor: str


class ApplicationRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A stored application, as pages and ``etax_application_decided`` see it."""

    id: int
    number: str
    function: str
    function_name: str
    matter_code: str
    taxpayer_id: int
    taxpayer_name: str
    tin: str
    status: Status
    data: dict[str, Any]
    round: int
    submitted_by: str
    submitted_at: dt.datetime
    updated_at: dt.datetime
    comment: str = ""

    def form_as(self, form: type[F]) -> F:
        """The submitted data as the plugin's form Struct (``Decimal``, ``date`` … restored)."""
        return msgspec.convert(self.data, form, strict=False)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """A reviewer's decision on an application: from which status to which, why, by whom, when."""

    action: DecisionAction
    status_before: Status
    status: Status
    comment: str
    reviewer: str
    at: dt.datetime

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]
