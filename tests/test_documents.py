"""电子资料: uploads checked by content and size, stored outside the web root, served only to their
enterprise as attachments, listed and deleted (not while an application using them is open)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.applications.tables import Document
from etax.platform.applications.uploads import MAX_BYTES
from etax.platform.auth.principal import SessionAuth
from etax.platform.auth.tables import AgencyCertification
from etax.platform.runtime import get_runtime
from tests.conftest import new_client
from tests.factories import grant, log_in, log_in_staff
from tests.test_applications_support import (
    EXE,
    FORM_URL,
    GOOD_FORM,
    JPEG,
    PDF,
    PNG,
    application_id,
    count,
    decide,
    documents_of,
    new_enterprise,
    open_form,
    post_form,
    run,
    submit,
)

UPLOAD_URL = "/usercentre/documents/upload"


def upload(
    client: TestClient[Litestar], name: str, content: bytes, title: str = "", token: str | None = None
) -> Any:
    key = token if token is not None else open_form(client, UPLOAD_URL)
    return post_form(
        client,
        UPLOAD_URL,
        {"title": title, "_submission": key},
        [("file", (name, content, "application/octet-stream"))],
    )


def uploads_dir(app: Litestar) -> Path:
    return get_runtime(app).settings.var_dir / "uploads"


def stored_files(app: Litestar) -> set[str]:
    directory = uploads_dir(app)
    return {p.name for p in directory.iterdir()} if directory.exists() else set()


def only_document_id(taxpayer_id: int) -> int:
    rows = run(Document.select(Document.id).where(Document.taxpayer == taxpayer_id))
    assert len(rows) == 1
    return int(rows[0]["id"])


def test_upload_list_and_download_as_attachment(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        before = stored_files(app)
        response = upload(client, "营业执照副本.pdf", PDF, title="营业执照")
        assert response.status_code == 303
        listing = client.get("/usercentre/documents")
        assert "营业执照" in listing.text and "已报送" in listing.text and "PDF" in listing.text
        document = only_document_id(enterprise.taxpayer_id)
        new_files = stored_files(app) - before
        assert len(new_files) == 1
        stored = new_files.pop()
        assert "营业执照" not in stored and "." not in stored and len(stored) >= 32  # a random name
        assert not str(uploads_dir(app)).startswith(str(Path(__file__).parents[1] / "etax"))
        download = client.get(f"/usercentre/documents/{document}/download")
        assert download.status_code == 200
        assert download.content == PDF
        assert download.headers["content-type"].startswith("application/pdf")
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.headers["x-content-type-options"] == "nosniff"
        for name, content, kind in (("照片.png", PNG, "PNG"), ("扫描件.jpg", JPEG, "JPEG")):
            assert upload(client, name, content).status_code == 303
            assert kind in client.get("/usercentre/documents").text
        assert documents_of(enterprise.taxpayer_id) == 3
        assert "共 1 份" in client.get("/usercentre/documents", params={"keyword": "营业"}).text


def test_forbidden_types_are_refused_by_content_whatever_the_name(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        before = stored_files(app)
        for name, content in (
            ("合同.pdf", EXE),  # an executable renamed .pdf
            ("setup.exe", EXE),
            ("说明.pdf", b"<html><script>alert(1)</script></html>"),
            ("空文件.pdf", b""),
        ):
            response = upload(client, name, content)
            assert response.status_code == 400, name
            text = response.text
            assert "不是允许的文件类型" in text or "空文件" in text, name
        assert documents_of(enterprise.taxpayer_id) == 0
        assert stored_files(app) == before


def test_uploads_over_the_limit_are_refused(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        before = stored_files(app)
        just_over = PDF + b"0" * (MAX_BYTES + 1 - len(PDF))
        response = upload(client, "大文件.pdf", just_over)
        assert response.status_code == 400
        assert "超过10MB" in response.text
        far_over = PDF + b"0" * (3 * MAX_BYTES)
        response = upload(client, "超大文件.pdf", far_over)
        assert response.status_code == 413
        assert "不能超过10MB" in response.text
        assert documents_of(enterprise.taxpayer_id) == 0
        assert stored_files(app) == before
        exactly = PDF + b"0" * (MAX_BYTES - len(PDF))
        assert upload(client, "正好10MB.pdf", exactly).status_code == 303


def test_double_upload_stores_one_document(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        token = open_form(client, UPLOAD_URL)
        before = stored_files(app)
        assert upload(client, "a.pdf", PDF, token=token).status_code == 303
        assert upload(client, "a.pdf", PDF, token=token).status_code == 303
        assert documents_of(enterprise.taxpayer_id) == 1
        assert len(stored_files(app) - before) == 1


def test_another_enterprise_cannot_read_download_or_delete(app: Litestar) -> None:
    owner, other = new_enterprise(officers=0), new_enterprise(officers=0)
    with new_client(app) as mine, new_client(app) as theirs:
        log_in_staff(mine, owner, "legal_rep")
        log_in_staff(theirs, other, "legal_rep")
        upload(mine, "机密合同.pdf", PDF, title="机密合同")
        document = only_document_id(owner.taxpayer_id)
        assert "机密合同" not in theirs.get("/usercentre/documents").text
        assert theirs.get(f"/usercentre/documents/{document}/download").status_code == 404
        deleted = theirs.post(
            f"/usercentre/documents/{document}/delete",
            headers={"x-csrftoken": theirs.cookies.get("etax_csrf") or ""},
            follow_redirects=False,
        )
        assert deleted.status_code == 404
        assert documents_of(owner.taxpayer_id) == 1
        # and it cannot be attached to the other enterprise's application either
        token = open_form(theirs)
        response = post_form(
            theirs, FORM_URL, {**GOOD_FORM, "_submission": token, "documents": str(document)}
        )
        assert response.status_code == 400 and "所选电子资料不存在" in response.text
        assert mine.get(f"/usercentre/documents/{document}/download").status_code == 200


def test_attached_document_cannot_be_deleted_until_the_application_is_decided(app: Litestar) -> None:
    enterprise = new_enterprise(officers=0)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "legal_rep")
        upload(client, "章模.png", PNG, title="发票专用章印模")
        document = only_document_id(enterprise.taxpayer_id)
        token = open_form(client)
        created = application_id(
            post_form(client, FORM_URL, {**GOOD_FORM, "_submission": token, "documents": str(document)})
        )
        assert "发票专用章印模" in client.get(f"{FORM_URL}/{created}").text
        csrf = {"x-csrftoken": client.cookies.get("etax_csrf") or ""}
        refused = client.post(f"/usercentre/documents/{document}/delete", headers=csrf)
        assert refused.status_code == 200 and "该申请办结前不能删除" in refused.text
        assert count(Document, id=document) == 1
        decide(app, created, "reject", "资料不全")
        client.post(f"/usercentre/documents/{document}/delete", headers=csrf)
        assert count(Document, id=document) == 0
        assert "资料已删除" in client.get(f"{FORM_URL}/{created}").text


def test_officer_needs_the_document_functions(app: Litestar) -> None:
    enterprise = new_enterprise(officers=1)
    with new_client(app) as client:
        log_in_staff(client, enterprise, "tax_officer0")
        assert client.get("/usercentre/documents").status_code == 403
        assert client.get(UPLOAD_URL).status_code == 403
        grant(enterprise, "tax_officer0", ["applications.documents"])
        page = client.get("/usercentre/documents")
        assert page.status_code == 200 and "/usercentre/documents/upload" not in page.text
        assert client.get(UPLOAD_URL).status_code == 403


def certify_agency(client_taxpayer: int, agency_taxpayer: int, nodes: list[str]) -> int:
    certification = AgencyCertification(
        key=f"{client_taxpayer}:{agency_taxpayer}",
        client=client_taxpayer,
        agency=agency_taxpayer,
        agreement_password_hash="-",
        nodes="\n".join(nodes),
        valid_until=dt.date.today() + dt.timedelta(days=30),
    )
    run(certification.save())
    return int(certification.id)


def test_an_agency_acting_for_the_enterprise_reaches_its_documents_and_applications(app: Litestar) -> None:
    client_enterprise, agency, stranger = new_enterprise(), new_enterprise(), new_enterprise()
    certification = certify_agency(
        client_enterprise.taxpayer_id, agency.taxpayer_id, ["applications.documents", "applications.progress"]
    )
    with new_client(app) as owner, new_client(app) as agent, new_client(app) as other:
        log_in_staff(owner, client_enterprise, "legal_rep")
        upload(owner, "合同.pdf", PDF, title="委托合同")
        document = only_document_id(client_enterprise.taxpayer_id)
        created = application_id(submit(owner))
        log_in(
            agent,
            SessionAuth(
                kind="agency",
                taxpayer_id=agency.taxpayer_id,
                staff_id=agency.staff["legal_rep"],
                client_taxpayer_id=client_enterprise.taxpayer_id,
                certification_id=certification,
            ),
        )
        assert agent.get(f"/usercentre/documents/{document}/download").content == PDF
        assert "委托合同" in agent.get("/usercentre/documents").text
        assert agent.get(f"/query/progress/{created}").status_code == 200
        assert agent.get(UPLOAD_URL).status_code == 403  # 报送 was not delegated
        log_in(
            other,
            SessionAuth(
                kind="agency", taxpayer_id=stranger.taxpayer_id, staff_id=stranger.staff["legal_rep"]
            ),
        )
        assert other.get(f"/usercentre/documents/{document}/download").status_code == 403
