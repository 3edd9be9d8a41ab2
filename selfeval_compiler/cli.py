"""The command line: options → api → report → exit code. Nothing else lives here."""

from __future__ import annotations

import sys
from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__, api, reporting


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


def _finish(report: api.Report, report_format: str, lang: str, strict: bool) -> None:
    diagnostics = report.diagnostics
    if report_format in ("json", "sarif"):
        typer.echo(reporting.render(diagnostics, report_format, lang))
    else:
        if diagnostics:
            typer.echo(reporting.render(diagnostics, report_format, lang))
        typer.echo(
            reporting.summary(len(report.compiled), report.errors, report.warnings, lang),
            err=report_format == "github",
        )
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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示逐份进度")] = False,
) -> None:
    """生成表单：每份表单的 HTML、PDF、JSON，以及每个目录的合并 PDF。"""
    language = _language(lang)
    chosen = formats or list(api.FORMATS)

    def progress(what: str, status: str) -> None:
        if not quiet:
            mark = {"ok": "✓", "failed": "✗"}.get(status, "-")
            typer.echo(f"{mark} {what}", err=True)

    try:
        report = api.build(paths or [Path("specs")], output, chosen, progress)
    except api.UsageError as error:
        typer.echo(f"selfeval: {error}", err=True)
        raise typer.Exit(int(Exit.USAGE)) from None
    _finish(report, "text", language, strict)


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
