"""Response headers and the OpenAPI schema: a Content-Security-Policy without inline
scripts on every response, framing refused, a Referrer-Policy, HSTS in production; no template carries
an inline script or event handler; ``/schema`` only in dev mode or for system administrators."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.app import create_app
from etax.platform.runtime import get_runtime
from etax.platform.settings import Settings
from tests.test_admin_support import ADMIN_PASSWORD, csrf, make_admin

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "/",
    "/login",
    "/admin/login",
    "/search?q=发票",
    "/no/such/page",
    "/public/announcements/9223372036854775808",
]


def script_sources(policy: str) -> list[str]:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["script-src"].split()


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client: TestClient[Litestar], path: str) -> None:
    response = client.get(path, follow_redirects=False)
    policy = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert script_sources(policy) == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in response.headers  # dev mode is plain HTTP


def production_app(settings: Settings) -> Litestar:
    return create_app(
        Settings(
            mode="production",
            var_dir=settings.var_dir,
            database_url=settings.database_url,
            secret_key="p" * 48,
        )
    )


def production_client(app: Litestar) -> TestClient[Litestar]:
    return TestClient(
        app=app, base_url="https://testserver.local", session_config=get_runtime(app).session_config
    )


def admin_log_in(client: TestClient[Litestar], role: str) -> None:
    """Log in as a new administrator in production mode: the captcha answer is read from the session."""
    admin = make_admin(role)
    client.get("/captcha.png?form=admin_login")
    answer = client.get_session_data()["captcha"]["admin_login"]["answer"]
    data = {"username": admin.username, "password": ADMIN_PASSWORD, "captcha": answer, "next": "/admin"}
    response = client.post("/admin/login", data={**data, "_csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text[:3000]


def test_production_adds_hsts_and_keeps_the_schema_to_system_administrators(settings: Settings) -> None:
    app = production_app(settings)
    with TestClient(app=app, base_url="https://testserver.local") as anonymous:
        response = anonymous.get("/login")
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        assert anonymous.get("/schema").status_code == 404
        assert anonymous.get("/schema/openapi.json").status_code == 404
    with production_client(app) as content:
        admin_log_in(content, "content")
        assert content.get("/schema/openapi.json").status_code == 404
    with production_client(app) as system:
        admin_log_in(system, "system")
        schema = system.get("/schema/openapi.json")
        assert schema.status_code == 200 and "/login/natural" in schema.json()["paths"]
    assert get_runtime(app).settings.production


def test_the_schema_is_open_in_dev_mode(client: TestClient[Litestar]) -> None:
    schema = client.get("/schema/openapi.json")
    assert schema.status_code == 200
    package = schema.json()["paths"]["/packages/{package_id}"]["get"]["parameters"]
    bounds = next(p["schema"] for p in package if p["name"] == "package_id")
    assert bounds["minimum"] == 1 and bounds["maximum"] == 2**31 - 1  # RecordId, documented


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=\s*["']""", re.IGNORECASE)


def template_files() -> list[Path]:
    roots = [ROOT / "etax", ROOT / "examples"]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    files = template_files()
    assert len(files) > 40
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in files
        for match in [*INLINE_SCRIPT.finditer(path.read_text()), *HANDLER.finditer(path.read_text())]
    ]
    assert found == []
    assert not [
        path
        for path in files
        if re.search(r"""(href|src|action)\s*=\s*["']\s*javascript:""", path.read_text())
    ]
