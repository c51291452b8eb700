"""Turning access and validation errors into pages a taxpayer understands."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from etax.platform.access import SET_PASSWORD_URL, LoginEnded, PasswordChangeRequired
from etax.platform.search import login_url
from etax.platform.web.login_end import login_url_with_notice

log = logging.getLogger("etax.web")


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _page(request: Request[Any, Any, Any], status: int, title: str, detail: str) -> Response[Any]:
    if _wants_json(request):
        return Response(
            {"status_code": status, "detail": detail}, status_code=status, media_type=MediaType.JSON
        )
    return Template(
        "error.html",
        context={"status": status, "title": title, "detail": detail},
        status_code=status,
    )


def login_required(request: Request[Any, Any, Any], exc: NotAuthorizedException) -> Response[Any]:
    """Anonymous visitors opening a non-public function go to the login page and come back."""
    if isinstance(exc, PasswordChangeRequired):
        if request.headers.get("hx-request"):
            return Response("", status_code=204, headers={"HX-Redirect": SET_PASSWORD_URL})
        return Redirect(SET_PASSWORD_URL)
    if _wants_json(request):
        return _page(request, 401, "请先登录", str(exc.detail))
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = login_url(target)
    if isinstance(exc, LoginEnded):
        request.clear_session()  # the ended login is forgotten; the login page says why once
        url = login_url_with_notice(url, str(exc.detail))
    if request.headers.get("hx-request"):
        return Response("", status_code=204, headers={"HX-Redirect": url})
    return Redirect(url)


def forbidden(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Response[Any]:
    if "CSRF" in str(exc.detail):
        return _page(request, 403, "页面已过期", "页面已过期或请求来源无法验证，请刷新页面后重新提交。")
    return _page(request, 403, "没有权限", str(exc.detail))


def not_found(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
    from etax.platform.access import FunctionSwitchedOff

    if isinstance(exc, FunctionSwitchedOff):
        return _page(request, 404, "暂停办理", str(exc.detail))
    return _page(request, 404, "页面不存在", "您访问的页面不存在，请使用页头的搜索框查找功能。")


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        return _page(request, exc.status_code, "系统繁忙", "系统繁忙，请稍后再试。如需帮助请拨打12366。")
    return _page(request, exc.status_code, "请求有误", str(exc.detail))


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """An unexpected error: logged with its traceback, answered with a calm Chinese page."""
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _page(request, 500, "系统繁忙", "系统繁忙，请稍后再试。如需帮助请拨打12366。")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    NotAuthorizedException: login_required,
    PermissionDeniedException: forbidden,
    NotFoundException: not_found,
    HTTPException: http_error,
    Exception: server_error,
}
