"""The 项目支出绩效自评结果汇总表: every project of one or more builds in one table."""
