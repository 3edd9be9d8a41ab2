"""The block parsers of a form, one module per block: identity (年度, 项目名称, 主管部门,
实施单位), funds (项目资金), goals (年度总体目标 in its parts), indicators (绩效指标, 总分,
评分等级 and the trailer rows after them) and filing (header and signature lines).
Each finds its block by its label and reads through
:class:`~selfeval_compiler.importers.rows.RowReader`."""
