"""发票领用: paper invoices within the approved 票种核定 counts, 验旧 before 购新."""
