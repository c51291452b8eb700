"""取得发票 and 发票勾选确认: a platform buyer's received invoices, ticked by period, 统计确认."""
