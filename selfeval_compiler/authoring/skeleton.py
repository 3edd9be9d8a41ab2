"""``selfeval new``: a spec skeleton with every required key and Chinese comments.

Texts are left empty on purpose: ``selfeval check`` then lists each place still to fill.
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


def skeleton(path: Path, year: int | None = None) -> str:
    chain = defaults_chain(path)
    if chain:
        identity = _IDENTITY_FROM_DEFAULTS.format(
            defaults=os.path.relpath(chain[0], path.resolve().parent)
        )
    else:
        identity = _IDENTITY.format(year=year or datetime.date.today().year - 1)
    modeline = f"# yaml-language-server: $schema={schema_reference(path)}\n"
    return modeline + _BODY.format(identity=identity, unit="万元")


def create(path: Path, year: int | None = None) -> None:
    """Write a skeleton at ``path``; raises FileExistsError rather than overwrite anything."""
    text = skeleton(path, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:
        stream.write(text)
