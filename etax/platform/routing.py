"""The application and routers built for one application: registered once, never deep-copied.

Litestar deep-copies every :class:`~litestar.Router` it registers, so that one Router object can be
mounted in several places (each copy gets its own owner). :func:`etax.platform.app.create_app` builds
its routers (one per plugin, the back office, the portal shell) afresh for the one application it
assembles and registers each exactly once, so that copy — tens of thousands of objects per plugin,
the largest single cost of start-up — buys nothing. The handlers inside are still copied by Litestar
when they are added to the router (a shallow copy each), so module-level handlers and controllers are
never changed by a registration and several applications can be built in one process.

Two more costs of registration are Litestar's bookkeeping, not the routes': a router recomputes its
whole path → method → handler map for every path it registers (quadratic in its routes: the
application has ~415 paths), and the application loads Litestar's pydantic plugins whenever pydantic is
importable (Piccolo requires it; etax declares no pydantic model). :class:`EtaxLitestar` and
:class:`SingleUseRouter` keep that map until their routes change, and :class:`EtaxLitestar` installs the
default plugins without pydantic's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from contextlib import suppress
from copy import copy
from functools import partial
from itertools import compress, count
from operator import attrgetter, is_not
from types import CodeType, MethodType
from typing import TYPE_CHECKING, Any

from litestar import Controller, Litestar, Router
from litestar.exceptions import MissingDependencyException
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.routes import ASGIRoute, BaseRoute, HTTPRoute, WebSocketRoute
from litestar.utils.predicates import is_class_and_subclass

if TYPE_CHECKING:
    from litestar.plugins import PluginProtocol
    from litestar.types import ControllerRouterHandler, RouteHandlerType
    from litestar.types.internal_types import RouteHandlerMapItem


class _RouteMapCache:
    """A router's ``route_handler_method_map``, brought up to date with its routes when read.

    Litestar's property rebuilds the map from every route each time it is read, and ``Router.register``
    reads it once per path it adds: quadratic in the routes. A route's handlers are fixed when it is made
    (another handler for a registered path replaces the route), so the map is kept with the routes it was
    made from — held, so that no new route can take a freed one's identity — and only the paths of routes
    added or replaced since are made again, in place: the same entries in the same order as Litestar's.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.routes: list[BaseRoute] = []
        self.map: dict[str, RouteHandlerMapItem] = defaultdict(dict)
        self.positions: dict[str, list[int]] = {}  # path → where its routes are in ``routes``

    def get(self, routes: Sequence[BaseRoute]) -> dict[str, RouteHandlerMapItem]:
        known = self.routes
        if len(routes) < len(known):  # Litestar only appends or replaces; anything else: start again
            self._reset()
            known = self.routes
        changed = [*compress(count(), map(is_not, known, routes)), *range(len(known), len(routes))]
        if not changed:
            return self.map
        paths: set[str] = set()
        for index in changed:
            if index < len(known):
                self.positions[known[index].path].remove(index)
                paths.add(known[index].path)
            self.positions.setdefault(routes[index].path, []).append(index)
            paths.add(routes[index].path)
        for path in sorted(paths, key=lambda path: min(self.positions[path], default=-1)):
            entry: RouteHandlerMapItem = {}
            for index in sorted(self.positions[path]):
                _add(entry, routes[index])
            if entry:
                self.map[path] = entry  # a path already mapped keeps its place
            else:
                self.map.pop(path, None)
                del self.positions[path]
        self.routes = list(routes)
        return self.map


def _add(entry: RouteHandlerMapItem, route: BaseRoute) -> None:
    """What ``Router.route_handler_method_map`` records for one route."""
    if isinstance(route, HTTPRoute):
        for route_handler in route.route_handlers:
            for method in route_handler.http_methods:
                entry[method] = route_handler
    elif isinstance(route, (WebSocketRoute, ASGIRoute)):
        entry["websocket" if isinstance(route, WebSocketRoute) else "asgi"] = route.route_handler


_CONTROLLER_NAMES = frozenset(dir(Controller))


def _controller_handlers(controller: Controller) -> list[BaseRouteHandler]:
    """``Controller.get_route_handlers`` with a shallow copy of each handler instead of a deep copy.

    The copy gets the controller as owner and its function bound to the controller, like Litestar's;
    registering it assigns the copy's own attributes and leaves the class's handler unchanged, as for a
    handler function (which Litestar itself copies shallowly). Deep copies of ~430 controller handlers
    were ≈ 0.1 s of start-up.
    """
    names = _CONTROLLER_NAMES
    handlers: list[BaseRouteHandler] = [
        handler
        for name in dir(controller)
        if name not in names and isinstance(handler := getattr(controller, name), BaseRouteHandler)
    ]
    handlers.sort(key=attrgetter("handler_id"))
    copies: list[BaseRouteHandler] = []
    for handler in handlers:
        route_handler = copy(handler)
        route_handler._fn = MethodType(route_handler._fn, controller)
        route_handler.owner = controller
        copies.append(route_handler)
    controller.validate_route_handlers(route_handlers=copies)
    return copies


class SingleUseRouter(Router):
    """A :class:`~litestar.Router` registered exactly once: registering it does not deep-copy it.

    Build a new one for every application; never register one object twice (the second owner would
    replace the first).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._route_map = _RouteMapCache()  # before Router.__init__ registers the handlers
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo: dict[int, Any]) -> SingleUseRouter:
        return self

    def _validate_registration_value(self, value: ControllerRouterHandler) -> RouteHandlerType | Router:
        """A controller's handlers shallow-copied, as Litestar copies a function's (it deep-copies each)."""
        if is_class_and_subclass(value, Controller):
            controller = value(owner=self)
            # Not for a controller with its own ``get_route_handlers``, nor one declaring ``__slots__``
            # (no attribute can be set on it): those get Litestar's deep copies.
            if value.get_route_handlers is Controller.get_route_handlers:
                with suppress(AttributeError):
                    setattr(controller, "get_route_handlers", partial(_controller_handlers, controller))  # noqa: B010
            return controller.as_router()
        return super()._validate_registration_value(value)

    @property
    def route_handler_method_map(self) -> dict[str, RouteHandlerMapItem]:
        return self._route_map.get(self.routes)


def _options_code() -> CodeType | None:
    """The code of the handler Litestar makes for ``OPTIONS`` on every path (``HTTPRoute.create_options_handler``)."""
    for constant in HTTPRoute.create_options_handler.__code__.co_consts:
        if isinstance(constant, CodeType) and constant.co_name == "options_handler":
            return constant
    return None


_OPTIONS_CODE = _options_code()


class _SharedOptionsSignatures(Router):
    """Litestar's ``OPTIONS`` handlers of one application share their parsed signature and signature model.

    Litestar adds one such handler to every path (~415 here, nearly half of all handlers) and would parse
    the same function's signature and build the same signature model for each. Both depend only on the
    function (one code for all), the names its annotations resolve to, the dependencies' names, the data
    DTO and the type decoders in force, so each distinct combination is made once — by Litestar, for the
    first such handler — and given to the others before they are registered.
    """

    __slots__ = ()
    _options_shared: dict[Hashable, Any]

    def register(self, value: ControllerRouterHandler) -> list[BaseRoute]:
        routes = super().register(value)
        for route in routes:
            if isinstance(route, HTTPRoute):
                for handler in route.route_handlers:
                    if _OPTIONS_CODE is not None and getattr(handler.fn, "__code__", None) is _OPTIONS_CODE:
                        self._share_signature(handler)
        return routes

    def _share_signature(self, handler: HTTPRouteHandler) -> None:
        shared = self._options_shared
        namespace = handler.resolve_signature_namespace()
        key: Hashable = ("signature", namespace.get("Scope"), namespace.get("Response"))
        if (signature := shared.get(key)) is None:
            shared[key] = signature = handler.parsed_fn_signature
        else:
            handler._parsed_fn_signature = signature
        key = (
            "model",
            id(signature),
            frozenset(handler.dependency_name_set),
            handler.resolve_data_dto(),
            tuple(handler.resolve_type_decoders()),
        )
        if (model := shared.get(key)) is None:
            shared[key] = handler.signature_model
        else:
            handler._signature_model = model


class EtaxLitestar(Litestar, _SharedOptionsSignatures):  # type: ignore[misc]  # Litestar.register: None
    """The etax application: Litestar with its route map kept between registrations, the ``OPTIONS``
    handlers' signatures shared and no pydantic plugins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before Litestar.__init__ registers the handlers.
        self._route_map = _RouteMapCache()
        self._options_shared = {}
        super().__init__(*args, **kwargs)

    @property
    def route_handler_method_map(self) -> dict[str, RouteHandlerMapItem]:
        return self._route_map.get(self.routes)

    @staticmethod
    def _get_default_plugins(plugins: list[PluginProtocol]) -> list[PluginProtocol]:
        """Litestar's default plugins (``Litestar._get_default_plugins``) except pydantic's.

        Litestar adds its pydantic plugins whenever pydantic can be imported — importing pydantic and
        its v1 compatibility layer, ≈ 0.1 s. They serve handlers that take or return pydantic models;
        etax's take and return msgspec Structs (``tests/test_startup.py`` checks that no route does).
        """
        from litestar.plugins.core import MsgspecDIPlugin

        plugins.append(MsgspecDIPlugin())
        with suppress(MissingDependencyException):
            from litestar.plugins.attrs import AttrsSchemaPlugin

            if not any(isinstance(plugin, AttrsSchemaPlugin) for plugin in plugins):
                plugins.append(AttrsSchemaPlugin())
        return plugins


__all__ = ["EtaxLitestar", "SingleUseRouter"]
