"""蓝字发票开具 and 复制开票: the form, the quota, the numbering, the invoice face (PDF, XML, print)."""
