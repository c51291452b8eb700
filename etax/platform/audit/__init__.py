"""The audit service: one writer (:func:`record`) for every login, failure, change and decision.

Entries land in :class:`~etax.platform.audit.tables.AuditLog`; 历史办税操作查询 and the back office's
audit page read them.
"""

from etax.platform.audit.record import Outcome, client_ip, record

__all__ = ["Outcome", "client_ip", "record"]
