"""The captcha image endpoint."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import QueryParameter

from etax.platform import captcha

Form = Annotated[str, QueryParameter(pattern=r"^[a-z_]{1,40}$")]


@get("/captcha.png", name="captcha", cache=False)
async def captcha_image(request: Request[Any, Any, Any], form: Form) -> Response[bytes]:
    """A fresh captcha for ``form``; showing a new one invalidates the old answer."""
    png = captcha.new_challenge(request.session, form)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})
