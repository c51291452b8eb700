"""套餐业务: packages of functions composed by the bureau (model, back-office editing, pages, search)."""
