"""公众服务 › 发票查验: anyone checks a 数电发票 by 发票号码, 开票日期 and 价税合计 (no login)."""
