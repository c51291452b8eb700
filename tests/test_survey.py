"""纳税人满意度调查: composed and published in the back office, answered once (unique key, also under a
double submission), bad answers refused, results as SVG charts and CSV; audience and dates respected."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from litestar import Litestar
from litestar.testing import TestClient

from etax.plugins.interaction.tables import SurveyResponse
from tests.conftest import new_client
from tests.factories import create_enterprise, log_in_staff
from tests.test_admin_support import log_in_as, run
from tests.test_admin_support import post as admin_post

Pin = Callable[[dt.date | dt.datetime], None]
QUESTIONS = "单选|您对办税服务厅的整体评价|满意;基本满意;不满意\n多选|您常用的办税渠道|电子税务局;办税服务厅\n评分|电子税务局的易用性\n文本|其他意见和建议"


def answer(client: TestClient[Litestar], survey_id: int, data: list[tuple[str, str]]) -> str:
    client.get(f"/interaction/surveys/{survey_id}")
    response = client.post(
        f"/interaction/surveys/{survey_id}",
        content=urlencode(data).encode(),
        headers={
            "x-csrftoken": client.cookies.get("etax_csrf") or "",
            "content-type": "application/x-www-form-urlencoded",
        },
        follow_redirects=True,
    )
    assert response.status_code in (200, 400), response.text[:1500]
    return response.text


def test_compose_publish_answer_once_and_see_the_chart(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(dt.date(2026, 12, 1))
    ours, other = create_enterprise("问卷企业有限公司"), create_enterprise("另一问卷企业有限公司")
    with new_client(app) as admin, new_client(app) as client, new_client(app) as second:
        log_in_as(admin, "content")
        bad = admin_post(
            admin,
            "/admin/surveys/",
            {
                "title": "x",
                "opens_on": "2026-12-01",
                "closes_on": "2026-12-31",
                "questions": "单选|只有一个选项|满意",
            },
        )
        assert bad.status_code == 400 and "2至10个互不相同的选项" in bad.text
        made = admin_post(
            admin,
            "/admin/surveys/",
            {
                "title": "2026年度纳税人满意度调查",
                "opens_on": "2026-12-01",
                "closes_on": "2026-12-31",
                "questions": QUESTIONS,
            },
        )
        url = made.headers["location"]
        survey_id = int(url.rsplit("/", 1)[1])
        log_in_staff(client, ours, "legal_rep")
        assert client.get(f"/interaction/surveys/{survey_id}").status_code == 404  # not published yet
        admin_post(admin, f"{url}/publish", {"published": "1"})
        assert "2026年度纳税人满意度调查" in client.get("/interaction/surveys").text

        refused = answer(client, survey_id, [("q0", "满意"), ("q0", "不满意"), ("q2", "5")])
        assert "第1题只能选一项" in refused
        assert "第3题的选项无效" in answer(
            client, survey_id, [("q0", "满意"), ("q1", "电子税务局"), ("q2", "9")]
        )
        good = [
            ("q0", "满意"),
            ("q1", "电子税务局"),
            ("q1", "办税服务厅"),
            ("q2", "4"),
            ("q3", "<script>x</script>"),
        ]
        with ThreadPoolExecutor(max_workers=4) as pool:  # a double click (and more) stores one response
            list(pool.map(lambda _: answer(client, survey_id, good), range(4)))
        assert run(SurveyResponse.count().where(SurveyResponse.survey == survey_id)) == 1
        assert "每户只能提交一次" in answer(client, survey_id, good)
        assert "已提交" in client.get("/interaction/surveys").text
        assert 'data-testid="answered"' in client.get(f"/interaction/surveys/{survey_id}").text
        log_in_staff(second, other, "legal_rep")
        answer(second, survey_id, [("q0", "基本满意"), ("q1", "电子税务局"), ("q2", "2")])

        page = admin.get(url).text
        assert '<span data-testid="response-count">2</span>' in page and "平均 3.00 分" in page
        chart = page.split('data-testid="chart"')[1].split("</svg>")[0]
        assert re.findall(r'data-testid="bar-count">(\d+)<', chart) == ["1", "1", "0"]
        assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page
        csv = admin.get(f"{url}/results.csv")
        assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("\ufeff序号")
        assert "电子税务局；办税服务厅" in csv.text and "问卷企业" not in csv.text
        pin_clock(dt.date(2027, 1, 1))
        assert client.get(f"/interaction/surveys/{survey_id}").status_code == 404  # closed
