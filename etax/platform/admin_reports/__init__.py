"""The back office's reports: the whole audit log (系统管理员) and search analytics (内容管理员)."""
