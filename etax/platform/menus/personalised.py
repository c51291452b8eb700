"""个性化办税: 套餐及组合业务, 特色业务 and 定制业务 on one centre page (``/menu/个性化办税``).

The centre is the bureau's own composition, not only functions declared under its path: packages for
the visitor's audience, the featured services, and the 定制业务 tailored to the visitor's taxpayer.
Functions plugins declare under 个性化办税 (e.g. a regional 特色业务) are listed in their group too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etax.platform.access import Access, decide
from etax.platform.identity import Principal
from etax.platform.menus import custom
from etax.platform.menus.featured import FeaturedLink, home_featured
from etax.platform.menus.packages.model import packages
from etax.platform.menus.packages.search import package_url
from etax.platform.menus.packages.view import PackageLink, home_packages
from etax.platform.registry import FunctionRegistry
from etax.platform.search import login_url

CENTRE = "个性化办税"
PACKAGES = "套餐及组合业务"
FEATURED = "特色业务"
CUSTOM = "定制业务"
SECTIONS = (PACKAGES, FEATURED, CUSTOM)


@dataclass
class Link:
    """A function or package as the page shows it to one visitor."""

    label: str
    url: str
    title: str
    description: str = ""
    requires_login: bool = False
    refused: str = ""


@dataclass
class CustomView:
    name: str
    description: str
    links: list[Link] = field(default_factory=list)


@dataclass
class Personalised:
    section: str  # "" = the whole centre
    packages: list[PackageLink]
    featured: list[FeaturedLink]
    plugin_featured: list[Link]
    custom: list[CustomView]
    logged_in: bool

    @property
    def sections(self) -> tuple[str, ...]:
        return (self.section,) if self.section else SECTIONS


def _function_link(registry: FunctionRegistry, principal: Principal | None, code: str) -> Link | None:
    spec = registry.get(code)
    if spec is None:
        return None
    decision = decide(principal, spec)
    title = f"{spec.name}（{' › '.join(spec.path)}）"
    if decision is Access.FORBIDDEN:
        return Link(label=spec.label, url="", title=title, refused="无权限")
    needs_login = decision is Access.LOGIN_REQUIRED
    return Link(
        label=spec.label,
        url=login_url(spec.url) if needs_login else spec.url,
        title=title,
        description=spec.description,
        requires_login=needs_login,
    )


async def _custom_views(registry: FunctionRegistry, principal: Principal | None) -> list[CustomView]:
    taxpayer_id = principal.client_or_own_taxpayer if principal is not None else None
    records = await custom.for_taxpayer(taxpayer_id)
    if not records:
        return []
    published = {p.id: p for p in await packages(published_only=True)}
    views: list[CustomView] = []
    for record in records:
        view = CustomView(name=record.name, description=record.description)
        for code in record.items:
            if code.startswith("package:"):
                package = published.get(int(code.removeprefix("package:")))
                if package is not None and package.available_steps(registry):
                    view.links.append(
                        Link(
                            label=package.name,
                            url=package_url(package.id),
                            title=package.description or package.name,
                        )
                    )
                continue
            link = _function_link(registry, principal, code)
            if link is not None:
                view.links.append(link)
        if view.links:
            views.append(view)
    return views


async def personalised(
    registry: FunctionRegistry, principal: Principal | None, section: str = ""
) -> Personalised:
    """What 个性化办税 (or one of its sections) shows to this visitor."""
    wanted = (section,) if section else SECTIONS
    plugin_featured: list[Link] = []
    node = registry.tree.node(f"{CENTRE}/{FEATURED}")
    if FEATURED in wanted and node is not None:
        for spec in node.leaves():
            link = _function_link(registry, principal, spec.code)
            if link is not None and not link.refused:
                plugin_featured.append(link)
    return Personalised(
        section=section,
        packages=await home_packages(registry, principal) if PACKAGES in wanted else [],
        featured=await home_featured(registry, principal) if FEATURED in wanted else [],
        plugin_featured=plugin_featured,
        custom=await _custom_views(registry, principal) if CUSTOM in wanted else [],
        logged_in=principal is not None,
    )
