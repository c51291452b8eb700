"""The login-side routes the application mounts (login page, flows, logout, dev SMS outbox).

They are core routes, bound to no function code: each decides for itself who may open it.
"""

from __future__ import annotations

from typing import Any

from etax.platform.auth import dev_routes
from etax.platform.auth.login import agency as login_agency
from etax.platform.auth.login import enterprise as login_enterprise
from etax.platform.auth.login import natural as login_natural
from etax.platform.auth.login import page as login_page
from etax.platform.auth.login import password as login_password
from etax.platform.auth.login import person as login_person
from etax.platform.auth.login import recover as login_recover
from etax.platform.auth.login import social as login_social

AUTH_ROUTE_HANDLERS: list[Any] = [
    login_page.show_login,
    login_page.agreement,
    login_page.logout,
    login_enterprise.enterprise_login,
    login_enterprise.quick_login,
    login_person.choose_page,
    login_person.choose,
    login_person.sync,
    login_person.sms_page,
    login_person.sms_send,
    login_person.sms_check,
    login_person.password_page,
    login_person.password_check,
    login_password.set_password_page,
    login_password.set_password,
    login_social.social_insurance,
    login_agency.agency_login,
    login_agency.client_page,
    login_agency.choose_client,
    login_agency.leave_client,
    login_natural.natural_login,
    login_natural.register_page,
    login_natural.register_start,
    login_natural.register_confirm_page,
    login_natural.register_resend,
    login_natural.register_finish,
    login_natural.forgot_page,
    login_natural.forgot_start,
    login_natural.forgot_confirm_page,
    login_natural.forgot_resend,
    login_natural.forgot_finish,
    login_recover.forgot_page,
    login_recover.forgot_start,
    login_recover.confirm_page,
    login_recover.resend,
    login_recover.finish,
    dev_routes.outbox_page,
    dev_routes.outbox_json,
]
