"""The contract over every registered function: one decision for routes, search and menus.

anonymous → login page (or open, when public); an identity without the function → 403 and absent
from search and menus; an identity with it → 200.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.auth.principal import SessionAuth
from etax.platform.functions import Audience, FunctionSpec
from etax.platform.runtime import get_runtime
from tests.conftest import new_client
from tests.factories import create_enterprise, create_natural_person, grant, log_in, log_in_staff


def functions(app: Litestar) -> list[FunctionSpec]:
    return sorted(get_runtime(app).registry, key=lambda s: s.code)


def search_codes(client: TestClient[Litestar], spec: FunctionSpec) -> list[str]:
    results = client.get("/api/search", params={"q": spec.name, "limit": 50}).json()["results"]
    return [r["code"] for r in results]


@pytest.fixture()
def fresh(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with new_client(app) as client:
        yield client


def test_there_are_functions_to_check(app: Litestar) -> None:
    assert len(functions(app)) >= 5


def test_anonymous_visitors(app: Litestar, fresh: TestClient[Litestar]) -> None:
    for spec in functions(app):
        response = fresh.get(spec.url, follow_redirects=False)
        if spec.is_public:
            assert response.status_code == 200, spec.code
        else:
            assert response.status_code in (302, 303), spec.code
            assert response.headers["location"] == "/login?next=" + spec.url, spec.code
            assert spec.code in search_codes(fresh, spec), f"{spec.code}: not offered as 登录后办理"


def test_enterprise_officer_without_and_with_each_function(app: Litestar) -> None:
    enterprise = create_enterprise(officers=2)
    with new_client(app) as without, new_client(app) as with_it:
        log_in_staff(without, enterprise, "tax_officer0")
        log_in_staff(with_it, enterprise, "tax_officer1")
        for spec in functions(app):
            if spec.is_public or Audience.ENTERPRISE not in spec.audiences:
                continue
            if spec.grant == "identity":
                grant(enterprise, "tax_officer1", [spec.code])
                assert without.get(spec.url).status_code == 403, spec.code
                assert spec.code not in search_codes(without, spec), spec.code
                centre = spec.path[0]
                assert f'href="{spec.url}"' not in without.get(f"/menu/{centre}").text, spec.code
                assert with_it.get(spec.url).status_code == 200, spec.code
                assert spec.code in search_codes(with_it, spec), spec.code
                assert f'href="{spec.url}"' in with_it.get(f"/menu/{centre}").text, spec.code
            elif spec.grant == "managers":
                assert without.get(spec.url).status_code == 403, spec.code
                assert spec.code not in search_codes(without, spec), spec.code
            else:
                assert without.get(spec.url).status_code == 200, spec.code


def test_legal_representative_and_financial_head_hold_every_enterprise_function(app: Litestar) -> None:
    enterprise = create_enterprise(officers=0)
    for role in ("legal_rep", "finance_head"):
        with new_client(app) as client:
            log_in_staff(client, enterprise, role)
            for spec in functions(app):
                if Audience.ENTERPRISE in spec.audiences or spec.is_public:
                    assert client.get(spec.url).status_code == 200, (role, spec.code)


def test_a_branch_grant_opens_every_function_below_it(app: Litestar) -> None:
    enterprise = create_enterprise(officers=1)
    grant(enterprise, "tax_officer0", ["用户中心"])
    with new_client(app) as client:
        log_in_staff(client, enterprise, "tax_officer0")
        for spec in functions(app):
            if (
                spec.path[0] == "用户中心"
                and spec.grant == "identity"
                and Audience.ENTERPRISE in spec.audiences
            ):
                assert client.get(spec.url).status_code == 200, spec.code


def test_natural_person_opens_only_natural_person_functions(app: Litestar) -> None:
    account = create_natural_person()
    with new_client(app) as client:
        log_in(client, SessionAuth(kind="natural_person", account_id=account))
        for spec in functions(app):
            expected = 200 if spec.is_public or Audience.NATURAL_PERSON in spec.audiences else 403
            assert client.get(spec.url).status_code == expected, spec.code


def test_tampered_session_for_another_enterprises_staff_is_not_a_login(app: Litestar) -> None:
    first = create_enterprise(officers=0)
    second = create_enterprise(officers=0)
    with new_client(app) as client:
        log_in(
            client,
            SessionAuth(kind="enterprise", taxpayer_id=first.taxpayer_id, staff_id=second.staff["legal_rep"]),
        )
        assert "测试legal_rep" not in client.get("/").text
        assert 'data-testid="identity"' not in client.get("/").text
