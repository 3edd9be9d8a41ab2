"""The command line: options → api → report → exit code. Nothing else lives here."""

from __future__ import annotations

import sys
from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer

from selfeval_compiler import __version__, api
from selfeval_compiler.diagnostics import formats as reporting


class Exit(IntEnum):
    CLEAN = 0
    PROBLEMS = 1
    USAGE = 2


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="selfeval: 把 YAML 表单编译为财政项目支出绩效自评表（HTML / PDF / JSON）。",
)

PathsArgument = Annotated[
    list[Path] | None, typer.Argument(help="表单文件或目录（默认 specs/）", show_default=False)
]
StrictOption = Annotated[bool, typer.Option("--strict", help="警告也视为失败")]
LangOption = Annotated[
    str | None, typer.Option("--lang", help="消息语言 zh 或 en（默认按 locale）")
]


def _language(lang: str | None) -> str:
    chosen = lang or reporting.default_language()
    if chosen not in ("zh", "en"):
        raise typer.BadParameter("--lang 只能是 zh 或 en")
    return chosen


def _exit_code(report: api.Report, strict: bool) -> Exit:
    if report.environment_failed:
        return Exit.USAGE
    if report.errors or (strict and report.warnings):
        return Exit.PROBLEMS
    return Exit.CLEAN


def _finish(
    report: api.Report, report_format: str, lang: str, strict: bool, last_line: str | None = None
) -> None:
    diagnostics = report.diagnostics
    if report_format in ("json", "sarif"):
        typer.echo(reporting.render(diagnostics, report_format, lang))
    else:
        if diagnostics:
            typer.echo(reporting.render(diagnostics, report_format, lang))
        line = last_line or reporting.summary(
            len(report.compiled), report.errors, report.warnings, lang
        )
        typer.echo(line, err=report_format == "github")
    raise typer.Exit(int(_exit_code(report, strict)))


@app.command()
def check(
    paths: PathsArgument = None,
    report_format: Annotated[
        str, typer.Option("--format", help="输出格式：text、json、github 或 sarif")
    ] = "text",
    strict: StrictOption = False,
    lang: LangOption = None,
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", help="并行进程数（默认为 CPU 核数）")
    ] = None,
) -> None:
    """检查表单：载入、校验、推算，不生成文件。"""
    if report_format not in reporting.REPORT_FORMATS:
        raise typer.BadParameter("--format 只能是 text、json、github 或 sarif")
    language = _language(lang)
    report = api.check(paths or [Path("specs")], jobs=jobs or api.default_jobs(), keep_forms=False)
    _finish(report, report_format, language, strict)


@app.command()
def build(
    paths: PathsArgument = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="输出目录")] = Path("build"),
    formats: Annotated[
        list[str] | None, typer.Option("--format", help="生成的格式：html、pdf、json（可重复）")
    ] = None,
    strict: StrictOption = False,
    lang: LangOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度")] = False,
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", help="并行进程数（默认为 CPU 核数）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="忽略上次的结果，全部重新生成")] = False,
) -> None:
    """生成表单：每份表单的 HTML、PDF、JSON，以及每个目录的合并 PDF（只重做有变化的）。"""
    from selfeval_compiler.cli.progress import ProgressDisplay

    language = _language(lang)
    chosen = formats or list(api.FORMATS)
    try:
        report = api.build(
            paths or [Path("specs")],
            output,
            chosen,
            ProgressDisplay(quiet=quiet),
            jobs or api.default_jobs(),
            force,
        )
    except api.UsageError as error:
        typer.echo(f"selfeval: {error}", err=True)
        raise typer.Exit(int(Exit.USAGE)) from None
    last_line = reporting.build_summary(
        len(report.compiled), report.built, report.skipped, report.errors, report.warnings, language
    )
    _finish(report, "text", language, strict, last_line)


@app.command()
def diff(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            help="[REV1 [REV2]] [PATHS…]：版本（默认 HEAD 对比工作区）和要比较的路径",
            show_default=False,
        ),
    ] = None,
    diff_format: Annotated[
        str, typer.Option("--format", help="输出格式：text、markdown 或 json")
    ] = "text",
    lang: LangOption = None,
) -> None:
    """对比两个版本的表单：每个项目的输入和推算结果（执行率、得分、总分、等级）如何变化。"""
    from selfeval_compiler.diff import formats as diff_report

    if diff_format not in diff_report.DIFF_FORMATS:
        raise typer.BadParameter("--format 只能是 text、markdown 或 json")
    language = _language(lang)
    revisions, paths = _split_revisions(arguments or [])
    try:
        old = revisions[0] if revisions else "HEAD"
        new = revisions[1] if len(revisions) > 1 else None
        report = api.diff(paths, old, new)
    except api.UsageError as error:
        typer.echo(f"selfeval: {error}", err=True)
        raise typer.Exit(int(Exit.USAGE)) from None
    typer.echo(diff_report.render(report, diff_format, language))
    problems = report.old.diagnostics + report.new.diagnostics
    if diff_format == "text" and problems:
        typer.echo(reporting.render(problems, "text", language), err=True)
    failed = report.old.has_errors or report.new.has_errors
    raise typer.Exit(int(Exit.PROBLEMS if failed else Exit.CLEAN))


def _split_revisions(arguments: list[str]) -> tuple[list[str], list[Path]]:
    """Existing paths are paths; anything else must be a revision (at most two)."""
    revisions = [a for a in arguments if not Path(a).exists()]
    paths = [Path(a) for a in arguments if Path(a).exists()]
    if len(revisions) > 2:
        raise typer.BadParameter(f"最多两个版本，这里有：{' '.join(revisions)}")
    return revisions, paths


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="新表单的路径，如 specs/单位/06-新项目.yaml")],
    year: Annotated[int | None, typer.Option("--year", help="年度（默认去年）")] = None,
) -> None:
    """新建一份表单骨架：所有必填项和中文注释；不会覆盖已有文件。"""
    from selfeval_compiler.importers import scaffold

    if not path.name.endswith((".yaml", ".yml")):
        typer.echo("selfeval: 表单文件名应以 .yaml 结尾 / a spec file name ends in .yaml", err=True)
        raise typer.Exit(int(Exit.USAGE))
    try:
        scaffold.create(path, year)
    except FileExistsError:
        typer.echo(f"selfeval: {path} 已存在，不会覆盖 / already exists, not overwritten", err=True)
        raise typer.Exit(int(Exit.USAGE)) from None
    except OSError as error:
        typer.echo(f"selfeval: 无法写出 {path}：{error.strerror or error}", err=True)
        raise typer.Exit(int(Exit.USAGE)) from None
    typer.echo(f"已创建 {path}；填写后运行 selfeval check {path}")


@app.command()
def version() -> None:
    """显示版本。"""
    typer.echo(f"selfeval {__version__}")


def main() -> None:
    """Entry point: usage errors exit 2, and no traceback ever reaches the user."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("selfeval: interrupted\n")
        sys.exit(130)
    except Exception as error:  # the last line of defence: report, never a traceback
        sys.stderr.write(f"selfeval: internal error: {type(error).__name__}: {error}\n")
        sys.exit(int(Exit.USAGE))


if __name__ == "__main__":
    main()
