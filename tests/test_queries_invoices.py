"""发票信息查询 (查询中心): invoices really issued through 蓝字发票开具 appear for the seller (开具发票) and the
buyer (取得发票), read through the invoices plugin's ``etax_invoice_records`` hook; filters, keyset pages,
export, print and a detail scoped to the taxpayer."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from litestar import Litestar

from tests.conftest import new_client
from tests.invoice_helpers import buyer, issue, issue_form, issued_id, line, log_in, seller

URL = "/query/invoices"


def numbers(html: str) -> list[str]:
    if 'data-testid="query-results"' not in html:
        assert 'data-testid="query-empty"' in html
        return []
    body = html.split('data-testid="query-results"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"\b\d{20}\b", body)


def next_link(html: str) -> str:
    match = re.search(r'<a href="([^"]+)" rel="next"', html)
    assert match, "no next link"
    return unescape(match.group(1))


def test_issued_and_received_invoices_filters_pages_export_and_detail(app: Litestar) -> None:
    sold, bought, stranger = seller(), buyer(), buyer()
    with new_client(app) as client, new_client(app) as theirs, new_client(app) as other:
        log_in(client, sold)
        log_in(theirs, bought)
        log_in(other, stranger)
        ids = []
        for index in range(12):
            response = issue(client, issue_form(bought.tin, [line(amount=f"{1000 + index}.00", rate="6")]))
            ids.append(issued_id(response))
        page = client.get(URL, params={"size": "10"})
        assert page.status_code == 200 and "发票信息查询" in page.text
        following = client.get(URL + next_link(page.text))
        issued = numbers(page.text) + numbers(following.text)
        assert len(set(issued)) == 12 and 'rel="next"' not in following.text  # no repeats, no gaps
        assert issued == sorted(issued, reverse=True)  # newest first
        assert "1,071.66" in page.text  # 1011.00 + 6 % (60.66), the newest
        # the buyer sees the same invoices as 取得发票, with the seller as the other party
        received = theirs.get(URL, params={"side": "received", "size": "20"})
        assert numbers(received.text) == issued and "数电发票（增值税专用发票）" in received.text
        assert "正常" in received.text
        # filters: amount range and counterparty; keyset pages of 2 do not repeat or skip
        ranged = client.get(URL, params={"total_min": "1061", "total_max": "1063"}).text
        assert len(numbers(ranged)) == 2
        assert numbers(client.get(URL, params={"counterparty": "不存在的公司"}).text) == []
        # a bad amount range is a Chinese message, never a 500
        bad = client.get(URL, params={"total_min": "abc"})
        assert bad.status_code in (200, 400) and "金额" in bad.text
        # export of the filtered rows (CSV with BOM), audited by the platform
        exported = theirs.get(URL + "/export/csv", params={"side": "received"})
        assert exported.status_code == 200
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["发票号码", "开票日期", "发票种类"] and len(rows) == 13
        assert [row[0] for row in rows[1:]] == issued
        printed = theirs.get(URL + "/print", params={"side": "received"})
        assert printed.status_code == 200 and all(number in printed.text for number in issued)
        # detail with lines, for the seller and the buyer; anyone else: 404
        detail = theirs.get(f"{URL}/{ids[0]}")
        assert detail.status_code == 200 and "技术服务费" in detail.text and "6%" in detail.text
        assert client.get(f"{URL}/{ids[0]}").status_code == 200
        assert other.get(f"{URL}/{ids[0]}").status_code == 404
        assert other.get(URL, params={"side": "received"}).text.count("技术服务费") == 0
        assert numbers(other.get(URL, params={"side": "received"}).text) == []
