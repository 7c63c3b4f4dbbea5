"""Reports: the period statistics, the 台账 and the 工作台's charts, all grouped in the database."""
