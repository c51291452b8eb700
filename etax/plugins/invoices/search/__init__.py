"""全量发票查询: issued and received invoices, filtered in the URL, keyset pagination, CSV export, detail."""
