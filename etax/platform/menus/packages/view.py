"""套餐业务 as a visitor sees it: the home page's list and the step-by-step walk through one package.

No step is skipped silently: a step the visitor may not open is shown as 登录后办理 (anonymous) or
无权限 with the reason (logged in). Only steps whose function no longer exists are left out.
"""

from __future__ import annotations

from urllib.parse import quote

import msgspec

from etax.platform.access import Access, decide
from etax.platform.caching import cached
from etax.platform.functions import AUDIENCE_LABELS, FunctionSpec
from etax.platform.identity import Principal
from etax.platform.menus.packages.common import (
    PACKAGES_CACHE,
    PACKAGES_VERSION_KEY,
    audience_label,
    audiences_for,
)
from etax.platform.menus.packages.model import PackageRecord, packages
from etax.platform.menus.packages.search import package_url
from etax.platform.registry import FunctionRegistry


class PackageLink(msgspec.Struct, frozen=True, kw_only=True):
    """A package in the home page's 套餐业务 area."""

    id: int
    name: str
    description: str
    url: str
    steps: int


class StepView(msgspec.Struct, frozen=True, kw_only=True):
    """One step of a package for one visitor: ``state`` is ``open``, ``login`` or ``forbidden``."""

    number: int
    code: str
    name: str
    path: str
    description: str
    state: str
    url: str
    reason: str = ""


class Walk(msgspec.Struct, frozen=True, kw_only=True):
    """A package being walked: its steps, the current one (``total + 1`` when finished)."""

    id: int
    name: str
    description: str
    audience: str
    audience_label: str
    steps: list[StepView]
    current: int

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def finished(self) -> bool:
        return self.current > self.total

    @property
    def step(self) -> StepView | None:
        return None if self.finished or not self.steps else self.steps[self.current - 1]

    @property
    def not_opened(self) -> list[StepView]:
        """Steps the visitor could not open (shown again at the end)."""
        return [step for step in self.steps if step.state != "open"]


async def home_packages(registry: FunctionRegistry, principal: Principal | None) -> list[PackageLink]:
    """Published packages for the visitor's audience that still have at least one function."""
    audiences = audiences_for(principal)
    version = await PACKAGES_VERSION_KEY.current()
    records = list(
        await cached(
            PACKAGES_CACHE, (audiences, version), lambda: packages(published_only=True, audiences=audiences)
        )
    )
    # The visitor's own audience first, then the packages for everyone (stable: menu order within each).
    records.sort(key=lambda record: audiences.index(record.audience))
    found: list[PackageLink] = []
    for record in records:
        available = record.available_steps(registry)
        if available:
            found.append(
                PackageLink(
                    id=record.id,
                    name=record.name,
                    description=record.description,
                    url=package_url(record.id),
                    steps=len(available),
                )
            )
    return found


def refusal_reason(principal: Principal, spec: FunctionSpec) -> str:
    """Why a logged-in visitor may not open ``spec``, in Chinese."""
    if principal.audience not in spec.audiences:
        meant_for = "、".join(AUDIENCE_LABELS[audience] for audience in sorted(spec.audiences))
        return f"该功能面向{meant_for}，您当前以{AUDIENCE_LABELS[principal.audience]}身份登录"
    if spec.grant == "managers":
        return "该功能仅限企业的法定代表人或财务负责人办理"
    return f"您没有“{spec.name}”的办理权限，请联系法定代表人或财务负责人授权"


def login_then(target: str) -> str:
    return "/login?next=" + quote(target, safe="/")


def step_view(principal: Principal | None, spec: FunctionSpec, number: int, package_id: int) -> StepView:
    decision = decide(principal, spec)
    step = StepView(
        number=number,
        code=spec.code,
        name=spec.name,
        path=" › ".join(spec.path),
        description=spec.description,
        state="open",
        url=spec.url,
    )
    if decision is Access.ALLOW:
        return step
    if decision is Access.LOGIN_REQUIRED or principal is None:
        # After logging in the visitor comes back to this very step of the package.
        return msgspec.structs.replace(
            step, state="login", url=login_then(f"{package_url(package_id)}?step={number}")
        )
    return msgspec.structs.replace(step, state="forbidden", url="", reason=refusal_reason(principal, spec))


def walk(
    registry: FunctionRegistry, principal: Principal | None, record: PackageRecord, current: int
) -> Walk:
    """The visitor's walk through ``record``, at step ``current`` (clamped to 1 … total + 1)."""
    specs = [spec for code in record.steps if (spec := registry.get(code)) is not None]
    steps = [step_view(principal, spec, number, record.id) for number, spec in enumerate(specs, start=1)]
    return Walk(
        id=record.id,
        name=record.name,
        description=record.description,
        audience=record.audience,
        audience_label=audience_label(record.audience),
        steps=steps,
        current=min(max(current, 1), len(steps) + 1),
    )
