"""``selfeval new``: a spec skeleton with every required key and Chinese comments.

Three skeletons: the year-end 自评表's (the default), with ``form="department"`` the
部门整体支出绩效自评表's (one per department and year), and, with ``form="goals"``, the spring
绩效目标申报表's, which starts with ``stage: 申报`` and holds only what the 申报表 prints
(项目性质, 项目类别, the planned dates, 项目资金总额, each funds row's 年初预算数, 项目总体目标
and 年度总体目标, indicators with their 指标值). Texts are left empty on purpose:
``selfeval check`` (``--form goals`` for the spring one) then lists each place still to fill.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from selfeval_compiler.model.defaults import defaults_chain
from selfeval_compiler.sources.resources import schema_reference

_BODY = """\
# 财政项目支出绩效自评表。填好后运行 selfeval check 检查，selfeval build 生成 PDF。
# 执行率、得分、总分和评分等级由 selfeval 推算，不要填写。
{identity}funds:                       # 项目资金（{unit}）
  weight: 10                 # 预算执行率的分值
  current_year: {{initial: 0, annual: 0, executed: 0}}   # 其中：当年财政拨款
  carried_over: {{initial: 0, annual: 0, executed: 0}}   # 上年结转资金
  other: {{initial: 0, annual: 0, executed: 0}}          # 其他资金
goals:
  expected: ""               # 预期目标
  actual: ""                 # 实际完成情况
# 绩效指标：一级 → 二级 → 三级。target/actual 按原样打印，可写 ≥60个、=100(%)、达成指标。
# 只有部分达成或未达成时才写 score；得分低于分值时必须写 deviation（偏差原因分析及改进措施）。
indicators:
  产出指标:                  # 合计 50 分
    数量指标:
      - {{name: "", target: "", actual: "", weight: 20}}
    质量指标:
      - {{name: "", target: "", actual: "", weight: 10}}
    时效指标:
      - {{name: "", target: "", actual: "", weight: 10}}
    成本指标:
      - {{name: "", target: "", actual: "", weight: 10}}
  效益指标:                  # 合计 30 分
    社会效益指标:
      - {{name: "", target: "", actual: "", weight: 20}}
    可持续影响指标:
      - {{name: "", target: "", actual: "", weight: 10}}
  满意度指标:                # 合计 10 分
    服务对象满意度指标:
      - {{name: 服务对象满意度, target: ≥90%, actual: "", weight: 10}}
"""

_GOALS_BODY = """\
stage: 申报                  # 阶段：申报（年初的绩效目标申报表）；年终改为 自评
# 财政项目支出绩效目标申报表。填好后运行 selfeval check --form goals 检查，
# selfeval build --form goals 生成 PDF。年终在同一份 spec 中补上全年预算数、全年执行数、
# 实际完成情况、实际完成值和分值，即可生成自评表。
{identity}project_nature: ""           # 项目性质：经常性项目、阶段性项目或一次性项目
project_category: ""         # 项目类别，如 特定目标类
start_date: ""               # 计划开始日期，如 {year}-01-01
end_date: ""                 # 计划完成日期，如 {year}-12-31
# 项目资金总额：整个项目周期的资金（{unit}），其中财政资金 + 其他资金 = 总额。
project_funds: {{total: 0, fiscal: 0, other: 0}}
funds:                       # 年度资金申请（{unit}）：只填年初预算数
  current_year: {{initial: 0}}   # 其中：当年财政拨款
  carried_over: {{initial: 0}}   # 上年结转资金
  other: {{initial: 0}}          # 其他资金
goals:
  overall: ""                # 项目总体目标（整个项目周期）
  expected: ""               # 年度总体目标
# 绩效指标：一级 → 二级 → 三级，每个三级指标写名称和年度指标值（按原样打印，
# 可写 ≥60个、=100(%)、及时）。申报时不写实际完成值和分值。
indicators:
  成本指标:                  # 财预〔2021〕101号：成本指标为一级指标
    经济成本指标:
      - {{name: "", target: ""}}
  产出指标:
    数量指标:
      - {{name: "", target: ""}}
    质量指标:
      - {{name: "", target: ""}}
    时效指标:
      - {{name: "", target: ""}}
  效益指标:
    社会效益指标:
      - {{name: "", target: ""}}
    可持续影响指标:
      - {{name: "", target: ""}}
  满意度指标:
    服务对象满意度指标:
      - {{name: 服务对象满意度, target: ≥90%}}
"""

_DEPARTMENT_BODY = """\
form: 部门整体               # 部门整体支出绩效自评表（不是项目支出自评表）
# 填好后运行 selfeval check 检查，selfeval build 生成 PDF。
# 执行率、执行率得分、得分系数（或得分）和自评总分由 selfeval 推算，不要填写。
year: {year}                   # 年度
unit: ""                     # 部门（单位）名称
department: ""               # 主管部门
# profile: mof-2020          # 评分规则（默认 mof-2020）
funds:                       # 部门预算执行情况（{unit}）
  weight: 10                 # 执行率的分值
  basic: {{initial: 0, annual: 0, executed: 0}}     # 基本支出
  project: {{initial: 0, annual: 0, executed: 0}}   # 项目支出
goals:
  initial: ""                # 年初绩效目标
  adjusted: ""               # 全年(调整)绩效目标；未调整可删去
  actual: ""                 # 全年目标实际完成情况
# 绩效指标：一张清单（也可写成 一级 → 二级 → 三级）。target 年初指标值，adjusted 调整指标值，
# actual 全年完成值，按原样打印；core 是否核心指标。按得分系数计分的评分规则下写 coefficient。
indicators:
  - {{name: 预算执行率, unit: "%", target: ≥90%, actual: "", weight: 10, core: 是}}
  - {{name: "", nature: 定量指标, target: "", actual: "", weight: 20, core: 否}}
  - {{name: "", nature: 定量指标, target: "", actual: "", weight: 20, core: 否}}
  - {{name: "", nature: 定性指标, target: "", actual: "", weight: 20, core: 否}}
  - {{name: 服务对象满意度, unit: "%", target: ≥90%, actual: "", weight: 20, core: 否}}
"""

_IDENTITY = """\
year: {year}                   # 年度
project: ""                  # 项目名称
department: ""               # 主管部门
unit: ""                     # 实施单位
# profile: mof-2020          # 评分规则（默认 mof-2020）
"""

_IDENTITY_FROM_DEFAULTS = """\
project: ""                  # 项目名称
# 年度、主管部门、实施单位和评分规则来自 {defaults}；需要不同的值时在这里写出。
"""


def skeleton(path: Path, year: int | None = None, form: str = "self-evaluation") -> str:
    """The skeleton of ``form`` ("self-evaluation" or "goals") for a spec at ``path``: a
    self-evaluation is of last year by default, a 申报表 of this year (the year its budget is
    published)."""
    goals = form == "goals"
    this_year = datetime.date.today().year
    if form == "department":
        year = year or this_year - 1
        reference = schema_reference(path, "department.schema.json")
        return f"# yaml-language-server: $schema={reference}\n" + _DEPARTMENT_BODY.format(
            unit="万元", year=year
        )
    year = year or (this_year if goals else this_year - 1)
    chain = defaults_chain(path)
    if chain:
        identity = _IDENTITY_FROM_DEFAULTS.format(
            defaults=os.path.relpath(chain[0], path.resolve().parent)
        )
    else:
        identity = _IDENTITY.format(year=year)
    schema = "goals.schema.json" if goals else "selfeval.schema.json"
    modeline = f"# yaml-language-server: $schema={schema_reference(path, schema)}\n"
    body = _GOALS_BODY if goals else _BODY
    return modeline + body.format(identity=identity, unit="万元", year=year)


def create(path: Path, year: int | None = None, form: str = "self-evaluation") -> None:
    """Write a skeleton at ``path``; raises FileExistsError rather than overwrite anything."""
    text = skeleton(path, year, form)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:
        stream.write(text)
