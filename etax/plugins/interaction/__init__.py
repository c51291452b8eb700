"""互动中心 (interaction): 我的消息, 预约办税, 在线交互, 纳税人满意度调查 and 权益保护.

- 我的消息: the bureau's messages, sent and stored by the platform's messaging service (the back
  office's 消息发送, the review of applications, any plugin through ``api.send_message``); unread ones
  appear under 服务提醒 on the home page (the platform's message source). This plugin serves the
  pages: the list, one message (opening it marks it read), 全部标为已读; the header's 我的消息 link with
  the unread count comes through the platform's ``etax_header_links`` hook.
- 预约办税 (``booking.py``): half-hour slots of the platform's hall directory, bookings with a 取号码,
  cancellation, no-show blocking; the database refuses overbooking. The next booking is a 我的待办
  entry; hall staff mark arrivals in the back office (``/admin/bookings``).
- 在线交互 (``consult.py``): 留言咨询 answered by consultants from a queue with working-day deadlines
  (``/admin/consultations``); answers go to 我的消息; published ones appear in 自助查询 (public).
- 纳税人满意度调查 (``survey.py``): surveys composed and published in the back office (``/admin/surveys``),
  answered once per taxpayer (a unique key), results as server-rendered SVG bar charts and CSV.
- 权益保护 (``rights.py``): 纳服投诉 (tracking number, kinds with working-day limits, status and reply) and
  违法举报 (anonymous with a captcha, followed only with number and query password); handled at
  ``/admin/rights`` by the role ``rights``, every view audited.
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import (
    FunctionSpec,
    HeaderLink,
    MessageSource,
    NavItem,
    Principal,
    SearchRefresher,
    hookimpl,
    messaging,
)
from etax.plugins.interaction.answer_search import refresh_before_request
from etax.plugins.interaction.booking_admin import NAV as BOOKING_NAV
from etax.plugins.interaction.booking_admin import BookingAdmin
from etax.plugins.interaction.booking_routes import BookingController
from etax.plugins.interaction.consult_routes import (
    QUEUE_NAV,
    AnswersController,
    ConsultAdmin,
    ConsultController,
)
from etax.plugins.interaction.functions import (
    ANSWERS,
    BOOKING,
    COMPLAINT,
    CONSULT,
    MY_MESSAGES,
    REPORT,
    SURVEY,
)
from etax.plugins.interaction.inbox_routes import InboxController
from etax.plugins.interaction.rights_routes import (
    RIGHTS_NAV,
    ComplaintController,
    ReportController,
    RightsAdmin,
)
from etax.plugins.interaction.survey_routes import SURVEY_NAV, SurveyAdmin, SurveyController
from etax.plugins.interaction.todo import NextBooking


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [MY_MESSAGES, BOOKING, CONSULT, ANSWERS, SURVEY, COMPLAINT, REPORT]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [
        InboxController,
        BookingController,
        ConsultController,
        AnswersController,
        SurveyController,
        ComplaintController,
        ReportController,
    ]


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return [BookingAdmin, ConsultAdmin, SurveyAdmin, RightsAdmin]


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return [BOOKING_NAV, QUEUE_NAV, SURVEY_NAV, RIGHTS_NAV]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.plugins.interaction.piccolo_app"]


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [NextBooking()]


async def _unread(principal: Principal) -> int:
    return await messaging.unread_count(principal)


@hookimpl
def etax_header_links() -> list[HeaderLink]:
    """我的消息 in the header, with the number of unread messages."""
    return [
        HeaderLink(
            function=MY_MESSAGES.code,
            label="我的消息",
            url=MY_MESSAGES.url,
            count=_unread,
            badge_label="{n}条未读",
        )
    ]


@hookimpl
def etax_search_refreshers() -> list[SearchRefresher]:
    return [refresh_before_request]
