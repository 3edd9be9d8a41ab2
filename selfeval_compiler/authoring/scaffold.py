"""``selfeval init``: a bureau's own repository for its forms, next to an installed selfeval.

A bureau keeps its forms in a repository of its own and pins the selfeval release it builds
them with (``selfeval==1.0.0``), rather than forking selfeval's repository. ``init`` lays
that repository out: ``specs/`` with one example unit (its ``_defaults.yaml`` and one spec
that checks and builds), the pre-commit hook, one CI template (GitHub Actions, GitLab CI or
none; the templates are the ones of ``examples/ci/``, installed with the package), a
``.gitignore`` keeping ``build/`` out of git, and a README for the clerks, in Chinese.

It never overwrites a file: a folder that already holds anything is refused unless
``force`` is given, and then only the files still missing are written (the others are kept
and reported as such).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from selfeval_compiler.sources.resources import data_dir

CI_CHOICES = ("github", "gitlab", "none")
"""What ``--ci`` accepts."""

_CI_FILES = {
    "github": ("github-actions.yml", ".github/workflows/selfeval.yml"),
    "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml"),
}
"""For each host: the template (in the package's ``ci`` folder) and where it goes."""

EXAMPLE_UNIT = "specs/示例单位"

_DEFAULTS = """\
# 本目录所有表单共用的信息；表单里自己写的值优先。把“示例单位”改成本单位的名称。
year: 2025
department: 某某主管部门        # 主管部门
unit: 某某实施单位              # 实施单位
# profile: shanghai-municipal   # 评分规则（地区）；不写则用默认规则，见 selfeval 的 README
"""

_EXAMPLE_SPEC = """\
# 一份示例表单：照着改成本单位的项目，或用 selfeval new 生成空白表单。
# 执行率、得分、总分和评分等级由 selfeval 推算，不要填写。
project: 示例项目
funds:                      # 项目资金（万元）
  weight: 10
  current_year: {initial: 20.00, annual: 20.00, executed: 19.00}
  carried_over: {initial: 0, annual: 0, executed: 0}
  other: {initial: 0, annual: 0, executed: 0}
goals:
  expected: 按计划完成年度培训任务，提高业务人员的工作能力。
  actual: 全年完成培训 25 次，业务人员的工作能力明显提高。
indicators:
  产出指标:
    数量指标:
      - {name: 培训次数, target: ≥20次, actual: 25次, weight: 20}
    质量指标:
      - {name: 培训合格率, target: ≥95%, actual: 98%, weight: 15}
    时效指标:
      - {name: 完成及时率, target: 100%, actual: 达成指标, weight: 15}
  效益指标:
    社会效益指标:
      - {name: 业务能力提升, target: 明显提升, actual: 达成指标, weight: 30}
  满意度指标:
    服务对象满意度指标:
      - {name: 参训人员满意度, target: ≥90%, actual: 96%, weight: 10}
"""

_PRE_COMMIT = """\
# pre-commit（https://pre-commit.com）：提交前检查改动的表单，有错误就不让提交。
# 安装：pip install pre-commit，然后在本仓库里运行 pre-commit install。
# 钩子用的是本机已安装的 selfeval（与 CI 用同一个版本），不联网也能用。
repos:
  - repo: local
    hooks:
      - id: selfeval-check
        name: selfeval check（财政项目支出绩效自评表）
        entry: selfeval check --hook
        language: system
        verbose: true
        files: {files}
        exclude: {exclude}
        require_serial: true
"""

_HOOK_FILES = r"\.ya?ml$"
_HOOK_EXCLUDE = (
    r"(^|/)(\.[^/]*|_(?!defaults\.yaml$)[^/]*|[^/]*\.profile\.ya?ml|mkdocs\.ya?ml)$"
    r"|(^|/)\.(github|gitlab|circleci|forgejo|gitea)/"
)
"""The hook's patterns, as selfeval's own .pre-commit-hooks.yaml offers them."""

_GITIGNORE = """\
# selfeval build 写出的 PDF、HTML、JSON 和 Excel：由 CI 生成，不进 git
build/
.venv/
.cache/
__pycache__/
"""

_README = """\
# 绩效自评表

本仓库保存本单位的财政项目支出绩效自评表（YAML 格式），用 selfeval 检查并生成 PDF。

## 目录

- `specs/`：表单，每个单位一个文件夹；`_defaults.yaml` 写该文件夹所有表单共用的信息。
- `.pre-commit-config.yaml`：提交前自动检查表单。
- `build/`：生成的 PDF、HTML、JSON（不进 git）。

## 常用命令

```sh
pip install "selfeval=={version}"   # 安装（版本与 CI 一致）
selfeval check                      # 检查全部表单
selfeval build                      # 生成 build/ 下的 PDF、HTML 和 JSON
selfeval serve                      # 边改边预览（浏览器打开显示的地址）
selfeval new specs/示例单位/新项目.yaml   # 新建一份空白表单
```

升级 selfeval 时，同时改上面的版本号和 CI 文件里的 SELFEVAL_PACKAGE。
"""


@dataclass
class Scaffolded:
    """What ``init`` did: the files written, and those already there and kept."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


class NotEmpty(Exception):
    """The target folder holds something and ``force`` was not given."""


class InTheWay(Exception):
    """A folder on the way to a file is a symlink or a file: nothing is written through it."""


def files(ci: str, version: str) -> dict[PurePosixPath, str]:
    """The repository's files, by path below its root."""
    laid = {
        PurePosixPath(EXAMPLE_UNIT, "_defaults.yaml"): _DEFAULTS,
        PurePosixPath(EXAMPLE_UNIT, "示例项目.yaml"): _EXAMPLE_SPEC,
        PurePosixPath(".pre-commit-config.yaml"): _PRE_COMMIT.format(
            files=_HOOK_FILES, exclude=_HOOK_EXCLUDE
        ),
        PurePosixPath(".gitignore"): _GITIGNORE,
        PurePosixPath("README.md"): _README.format(version=version),
    }
    if ci in _CI_FILES:
        template, placed = _CI_FILES[ci]
        laid[PurePosixPath(placed)] = (data_dir("ci") / template).read_text("utf-8")
    return laid


def create(target: Path, ci: str, version: str, *, force: bool = False) -> Scaffolded:
    """Lay the repository out in ``target`` (made if missing). Raises :class:`NotEmpty` for a
    folder holding anything without ``force``, and OSError when a file cannot be written;
    never replaces a file, a symlink or a folder found at one of the paths."""
    if target.is_dir() and not force and any(target.iterdir()):
        raise NotEmpty(str(target))
    target.mkdir(parents=True, exist_ok=True)
    done = Scaffolded()
    for relative, text in files(ci, version).items():
        path = target.joinpath(*relative.parts)
        if os.path.lexists(path):
            done.kept.append(path)
            continue
        _refuse_links(target, path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        done.written.append(path)
    return done


def _refuse_links(target: Path, folder: Path) -> None:
    """Raise :class:`InTheWay` when a folder between ``target`` and ``folder`` exists as a
    symlink or as something else than a folder (a bureau's ``specs`` linked elsewhere)."""
    for depth in range(len(folder.relative_to(target).parts)):
        step = target.joinpath(*folder.relative_to(target).parts[: depth + 1])
        if step.is_symlink() or (os.path.lexists(step) and not step.is_dir()):
            raise InTheWay(str(step))
