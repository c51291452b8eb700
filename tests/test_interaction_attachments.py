"""在线交互 and 权益保护 attachments (checked by content, stored once, fetched only by the asker and the
back-office role handling them) and published 咨询答复 found by the header search (/api/search)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform import api
from etax.plugins.interaction.tables import Attachment
from tests.conftest import VAR_DIR, new_client
from tests.factories import create_enterprise, log_in_staff
from tests.login_helpers import audit_rows
from tests.test_admin_support import log_in_as
from tests.test_admin_support import post as admin_post

Pin = Callable[[dt.date | dt.datetime], None]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def stored_files() -> set[Path]:
    directory = VAR_DIR / "uploads"
    return {p for p in directory.iterdir() if not p.name.startswith(".")} if directory.is_dir() else set()


def submit(
    client: TestClient[Litestar], url: str, data: dict[str, str], files: list[tuple[str, bytes]]
) -> tuple[int, str]:
    token = re.search(r'name="submission" value="([^"]+)"', client.get(url).text)
    assert token
    response = client.post(
        url,
        data={**data, "submission": token.group(1)},
        files=[("attachments", (name, content, "application/octet-stream")) for name, content in files],
        headers={"x-csrftoken": client.cookies.get("etax_csrf") or ""},
        follow_redirects=False,
    )
    if response.status_code == 303:
        return 303, response.headers["location"]
    return response.status_code, response.text


def file_links(page: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}/files/\d+)"', page)


def test_consult_attachments_checked_by_content_and_fetched_only_by_asker_and_consultant(
    app: Litestar, pin_clock: Pin
) -> None:
    pin_clock(dt.datetime(2026, 12, 2, 10, 0, tzinfo=api.BEIJING))
    ours, theirs = create_enterprise("附件咨询企业有限公司"), create_enterprise("附件他人企业有限公司")
    url = "/interaction/consult/"
    question = {"category": "发票", "title": "附件咨询：红字发票", "question": "红字发票信息表如何填写？"}
    with new_client(app) as client, new_client(app) as other, new_client(app) as consultant:
        log_in_staff(client, ours, "legal_rep")
        log_in_staff(other, theirs, "legal_rep")
        before, rows = stored_files(), Attachment.count().run_sync()

        status, page = submit(client, url, question, [("说明.pdf", PDF), ("invoice.pdf", EXE)])
        assert status == 400 and "“invoice.pdf”不是允许的文件类型" in page
        status, page = submit(client, url, question, [("big.pdf", PDF + b"0" * api.UPLOAD_MAX_BYTES)])
        assert status == 400 and "超过10MB" in page
        assert stored_files() == before and Attachment.count().run_sync() == rows  # nothing stored
        assert "附件咨询：红字发票" not in client.get(url).text  # and no thread either

        status, location = submit(client, url, question, [("说明.pdf", PDF), ("照片.jpg", JPEG)])
        assert status == 303, location
        assert len(stored_files() - before) == 2
        links = file_links(client.get(location).text, location)
        assert len(links) == 2
        first = client.get(links[0])
        assert first.status_code == 200 and first.content == PDF
        assert first.headers["content-type"].startswith("application/pdf")
        assert client.get(links[1]).content == JPEG

        assert other.get(links[0]).status_code == 404  # another taxpayer
        with new_client(app) as anonymous:
            assert anonymous.get(links[0], follow_redirects=False).status_code in (302, 303, 401)
        file_id = int(links[0].rsplit("/", 1)[1])
        status, theirs_location = submit(other, url, {**question, "title": "他人的咨询"}, [])
        assert status == 303
        assert other.get(f"{theirs_location}/files/{file_id}").status_code == 404  # our id under their thread

        log_in_as(consultant, "consultant")
        thread_id = location.rsplit("/", 1)[1]
        admin_page = consultant.get(f"/admin/consultations/{thread_id}").text
        admin_link = f"/admin/consultations/{thread_id}/files/{file_id}"
        assert admin_link in admin_page
        assert consultant.get(admin_link).content == PDF
        assert [row["target"] for row in audit_rows("admin.consult.file", ours.taxpayer_id)] == [thread_id]


def test_complaint_evidence_refused_when_disguised_and_shown_to_the_rights_handler(
    app: Litestar, pin_clock: Pin
) -> None:
    pin_clock(dt.datetime(2026, 12, 2, 10, 0, tzinfo=api.BEIJING))
    ours, theirs = create_enterprise("附件投诉企业有限公司"), create_enterprise("附件他人投诉企业有限公司")
    url = "/interaction/complaints/"
    data = {
        "kind": "服务言行",
        "office": "国家税务总局沈阳市和平区税务局",
        "staff": "",
        "facts": "窗口人员拒绝一次性告知所需材料。",
    }
    with new_client(app) as client, new_client(app) as other, new_client(app) as officer:
        log_in_staff(client, ours, "legal_rep")
        log_in_staff(other, theirs, "legal_rep")
        before, rows = stored_files(), Attachment.count().run_sync()
        status, page = submit(client, url, data, [("录音.jpg", EXE)])
        assert status == 400 and "不是允许的文件类型" in page
        assert stored_files() == before and Attachment.count().run_sync() == rows

        status, location = submit(client, url, data, [("现场照片.jpg", JPEG)])
        assert status == 303, location
        links = file_links(client.get(location).text, location)
        assert len(links) == 1 and client.get(links[0]).content == JPEG
        assert other.get(links[0]).status_code == 404

        log_in_as(officer, "rights")
        complaint_id, file_id = location.rsplit("/", 1)[1], links[0].rsplit("/", 1)[1]
        admin_link = f"/admin/rights/complaints/{complaint_id}/files/{file_id}"
        assert admin_link in officer.get(f"/admin/rights/complaints/{complaint_id}").text
        assert officer.get(admin_link).content == JPEG
        assert audit_rows("admin.rights.complaint_file")[-1]["detail"].endswith("现场照片.jpg")


def test_published_answer_is_found_by_the_header_search(app: Litestar, pin_clock: Pin) -> None:
    pin_clock(dt.datetime(2026, 12, 2, 10, 0, tzinfo=api.BEIJING))
    asker = create_enterprise("搜索咨询企业有限公司")
    with new_client(app) as client, new_client(app) as consultant, new_client(app) as anonymous:
        log_in_staff(client, asker, "legal_rep")
        question = {
            "category": "税收优惠",
            "title": "研发费用加计扣除备查资料",
            "question": "研发费用加计扣除需要留存哪些备查资料？",
        }
        status, location = submit(client, "/interaction/consult/", question, [])
        assert status == 303
        thread_id = location.rsplit("/", 1)[1]

        def found(who: TestClient[Litestar] = anonymous) -> list[str]:
            results = who.get("/api/search", params={"q": "研发费用加计扣除备查资料"}).json()["results"]
            return [str(r.get("url", "")) for r in results]

        assert f"/interaction/answers/{thread_id}" not in found()
        log_in_as(consultant, "consultant")
        admin_post(
            consultant,
            f"/admin/consultations/{thread_id}/answer",
            {"answer": "留存研发项目立项决议和费用辅助账。"},
        )
        assert f"/interaction/answers/{thread_id}" not in found()  # answered but not published
        admin_post(consultant, f"/admin/consultations/{thread_id}/publish", {"published": "1"})
        assert f"/interaction/answers/{thread_id}" in found()
        assert f"/interaction/answers/{thread_id}" in found(client)  # a logged-in taxpayer too
        admin_post(consultant, f"/admin/consultations/{thread_id}/publish", {"published": "0"})
        assert f"/interaction/answers/{thread_id}" not in found()
