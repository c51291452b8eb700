"""红字发票开具 through 红字发票信息确认单: raised by one party, confirmed by the other, then issued."""
