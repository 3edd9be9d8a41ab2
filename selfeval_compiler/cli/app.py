"""The command line: options → api → report → exit code. Nothing else lives here.

The app is built for one language (:func:`build_app`), so that ``--help`` speaks it too.
One rule for every command: a bad option value or a call the library refuses
(:class:`api.UsageError`) is ``selfeval: …`` on stderr, exit 2; otherwise the command's report
is printed by :func:`_finish` (files written, findings, a closing line) and its exit code
follows :func:`_exit_code` — 2 for a finding about the machine (a write that failed, no
font), 1 for problems in the specs (or warnings with ``--strict``), else 0.
"""

import os
import re
import shlex
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from typer._click.globals import get_current_context as click_context
from typer._completion_classes import completion_init
from typer.exceptions import TyperException

from selfeval_compiler import __version__, api
from selfeval_compiler.cli.click_texts import command_classes, usage_error_text
from selfeval_compiler.cli.texts import language_of, text
from selfeval_compiler.diagnostics import Language, Location, internal, listing, phrase
from selfeval_compiler.diagnostics import formats as reporting
from selfeval_compiler.diagnostics.formats import default_language, one_line


class Exit(IntEnum):
    CLEAN = 0
    PROBLEMS = 1
    USAGE = 2
    INTERRUPTED = 130


LANGUAGES = tuple(Language)


def _usage(message: str) -> NoReturn:
    typer.echo(one_line(f"selfeval: {message}"), err=True)
    raise typer.Exit(int(Exit.USAGE))


def _choose(value: str, allowed: tuple[str, ...], option: str, lang: str) -> str:
    if value not in allowed:
        shown = listing(allowed).text(lang)
        _usage(text("bad-choice", lang, option=option, allowed=shown, value=value))
    return value


_GLOBAL_LANG = "selfeval.lang"
"""Where the global ``--lang`` (before the subcommand) is kept for the subcommand to read."""


def _language(lang: str | None) -> str:
    """The command's ``--lang``, else the global one, else the environment's language."""
    if lang is None:
        context = click_context(silent=True)
        lang = context.meta.get(_GLOBAL_LANG) if context is not None else None
    if lang is None:
        return default_language()
    return _choose(lang, LANGUAGES, "--lang", default_language())


@contextmanager
def _refusals(lang: str) -> Iterator[None]:
    """A call the library refuses is a usage error, said in ``lang``."""
    try:
        yield
    except api.UsageError as error:
        _usage(error.message.text(lang))


def _exit_code(report: api.Reported, strict: bool = False) -> Exit:
    if report.environment_failed:
        return Exit.USAGE
    if report.errors or (strict and report.warnings):
        return Exit.PROBLEMS
    return Exit.CLEAN


def _finish(
    report: api.Reported,
    report_format: str,
    lang: str,
    last_line: str,
    *,
    strict: bool = False,
    lines: Iterable[str] = (),
) -> NoReturn:
    """Every command's report: its own ``lines`` (files written), the findings, a closing
    line (on stderr for GitHub, whose annotations go to stdout); JSON and SARIF print the
    findings alone. Then the exit code by the one rule. Every line goes through
    :func:`one_line`, since file names and folders given by the user appear in them."""
    diagnostics = report.diagnostics
    if report_format in ("json", "sarif"):
        typer.echo(reporting.render(diagnostics, report_format, lang))
    else:
        for line in lines:
            typer.echo(one_line(line))
        if diagnostics:
            typer.echo(reporting.render(diagnostics, report_format, lang))
        typer.echo(one_line(last_line), err=report_format == "github")
    raise typer.Exit(int(_exit_code(report, strict)))


def _written(paths: Iterable[Path], prefix: str = "→ ") -> list[str]:
    return [f"{prefix}{path}" for path in paths]  # made one line each by _finish


def _version(value: bool) -> None:
    if value:
        typer.echo(f"selfeval {__version__}")
        raise typer.Exit(int(Exit.CLEAN))


def build_app(lang: str) -> typer.Typer:  # noqa: C901 (one nested function per command)
    """The Typer app with its help in ``lang`` (zh or en)."""

    def t(key: str) -> str:
        return text(key, lang)

    group_class, command_class = command_classes(lang)
    separator = ", " if lang == Language.EN else "、"
    format_help = text(
        "build.format",
        lang,
        formats=separator.join(api.FORMATS),
        defaults=separator.join(api.DEFAULT_FORMATS),
    )
    app = typer.Typer(
        add_completion=False,
        no_args_is_help=True,
        help=t("app"),
        rich_markup_mode=None,
        cls=group_class,
        context_settings={"help_option_names": ["--help", "-h"]},
    )
    paths_argument = Annotated[
        list[Path] | None, typer.Argument(help=t("paths"), show_default=False, metavar="PATHS…")
    ]
    strict_option = Annotated[
        bool, typer.Option("--strict", help=t("strict"), show_default=False, metavar="")
    ]
    lang_option = Annotated[str | None, typer.Option("--lang", help=t("lang"), metavar="zh|en")]
    jobs_option = Annotated[
        int | None, typer.Option("-j", "--jobs", help=t("jobs"), min=1, metavar="N")
    ]
    form_option = Annotated[
        str | None, typer.Option("--form", help=t("form"), metavar="self-evaluation|goals")
    ]
    new_form_option = Annotated[
        str | None,
        typer.Option("--form", help=t("new.form"), metavar="self-evaluation|goals|department"),
    ]

    @app.callback(help=t("app"))
    def main_options(
        version: Annotated[
            bool,
            typer.Option(
                "--version",
                help=t("version"),
                callback=_version,
                is_eager=True,
                show_default=False,
                metavar="",
            ),
        ] = False,
        lang: lang_option = None,
    ) -> None:
        # --version acts in its callback; --lang was read before the app was built (for the
        # help) and is kept for the subcommand, whose own --lang wins
        if lang is not None:
            _choose(lang, LANGUAGES, "--lang", default_language())
            click_context().meta[_GLOBAL_LANG] = lang

    @app.command(help=t("check"), cls=command_class)
    def check(
        paths: paths_argument = None,
        report_format: Annotated[
            str, typer.Option("--format", help=t("check.format"), metavar="FORMAT")
        ] = "text",
        strict: strict_option = False,
        lang: lang_option = None,
        jobs: jobs_option = None,
        form: form_option = None,
        hook: Annotated[
            bool, typer.Option("--hook", help=t("check.hook"), show_default=False, metavar="")
        ] = False,
    ) -> None:
        language = _language(lang)
        _choose(report_format, reporting.REPORT_FORMATS, "--format", language)
        if form is not None:
            _choose(form, api.FORMS, "--form", language)
        with _refusals(language):
            report = api.check(
                paths or [],
                jobs=jobs or api.default_jobs(),
                keep_forms=False,
                form=form,
                only_specs=hook,
            )
        if hook and not report.compiled and not report.diagnostics:
            raise typer.Exit(int(Exit.CLEAN))  # no spec among the files: the hook passes quietly
        last_line = reporting.summary(
            len(report.compiled), report.errors, report.warnings, language
        )
        _finish(report, report_format, language, last_line, strict=strict)

    @app.command(help=t("build"), cls=command_class)
    def build(
        paths: paths_argument = None,
        output: Annotated[
            Path | None, typer.Option("-o", "--output", help=t("build.output"), metavar="DIR")
        ] = None,
        formats: Annotated[
            list[str] | None, typer.Option("--format", help=format_help, metavar="FORMAT")
        ] = None,
        strict: strict_option = False,
        lang: lang_option = None,
        quiet: Annotated[
            bool,
            typer.Option("--quiet", "-q", help=t("build.quiet"), show_default=False, metavar=""),
        ] = False,
        jobs: jobs_option = None,
        force: Annotated[
            bool, typer.Option("--force", help=t("build.force"), show_default=False, metavar="")
        ] = False,
        form: form_option = None,
        summary: Annotated[
            bool,
            typer.Option("--summary", help=t("build.summary"), show_default=False, metavar=""),
        ] = False,
        shard: Annotated[
            str | None, typer.Option("--shard", help=t("build.shard"), metavar="K/N")
        ] = None,
    ) -> None:
        from selfeval_compiler.cli.progress import ProgressDisplay

        language = _language(lang)
        for name in formats or ():
            _choose(name, api.FORMATS, "--format", language)
        if form is not None:
            _choose(form, api.FORMS, "--form", language)
        part = _shard(shard, language) if shard is not None else None
        with _refusals(language):
            report = api.build(
                paths or [],
                output,
                form=form,
                shard=part,
                formats=formats or list(api.DEFAULT_FORMATS),
                progress=ProgressDisplay(quiet=quiet),
                jobs=jobs or api.default_jobs(),
                force=force,
                summary=summary,
            )
        written = report.summarised
        last_line = reporting.build_summary(
            len(report.compiled),
            report.built,
            report.skipped,
            report.errors,
            report.warnings,
            language,
        )
        _finish(report, "text", language, last_line, strict=strict, lines=_written(written))

    @app.command(help=t("diff"), cls=command_class)
    def diff(
        arguments: Annotated[
            list[str] | None,
            typer.Argument(
                help=t("diff.arguments"), show_default=False, metavar="[REV1 [REV2]] [PATHS…]"
            ),
        ] = None,
        diff_format: Annotated[
            str, typer.Option("--format", help=t("diff.format"), metavar="FORMAT")
        ] = "text",
        lang: lang_option = None,
    ) -> None:
        from selfeval_compiler.diff import formats as diff_report

        language = _language(lang)
        _choose(diff_format, diff_report.DIFF_FORMATS, "--format", language)
        revisions, paths = _split_revisions(arguments or [], language)
        with _refusals(language):
            old = revisions[0] if revisions else "HEAD"
            new = revisions[1] if len(revisions) > 1 else None
            report = api.diff(paths, old, new)
        typer.echo(diff_report.render(report, diff_format, language))
        problems = report.old.diagnostics + report.new.diagnostics
        if diff_format == "text" and problems:
            typer.echo(reporting.render(problems, "text", language), err=True)
        failed = report.old.has_errors or report.new.has_errors
        raise typer.Exit(int(Exit.PROBLEMS if failed else Exit.CLEAN))

    @app.command(help=t("new"), cls=command_class)
    def new(
        path: Annotated[Path, typer.Argument(help=t("new.path"), metavar="PATH")],
        year: Annotated[
            int | None, typer.Option("--year", help=t("new.year"), metavar="YEAR")
        ] = None,
        form: new_form_option = None,
        lang: lang_option = None,
    ) -> None:
        language = _language(lang)
        with _refusals(language):
            report = api.new(path, year=year, form=form)
        _finish(report, "text", language, text("created", language, path=str(path)))

    @app.command(help=t("init"), cls=command_class)
    def init(
        folder: Annotated[
            Path, typer.Argument(help=t("init.dir"), show_default=False, metavar="[DIR]")
        ] = Path("."),
        ci: Annotated[
            str, typer.Option("--ci", help=t("init.ci"), metavar="github|gitlab|none")
        ] = ("github"),
        force: Annotated[
            bool, typer.Option("--force", help=t("init.force"), show_default=False, metavar="")
        ] = False,
        lang: lang_option = None,
    ) -> None:
        language = _language(lang)
        with _refusals(language):
            report = api.init(folder, ci=ci, force=force)
        lines = _written(report.written)
        lines += [text("init.kept", language, path=str(path)) for path in report.kept]
        written, kept = str(len(report.written)), str(len(report.kept))
        shown = shlex.quote(str(folder))
        last_line = text("initialised", language, written=written, kept=kept, path=shown)
        _finish(report, "text", language, last_line, lines=lines)

    @app.command(name="import", help=t("import"), cls=command_class)
    def import_(
        files: Annotated[list[Path], typer.Argument(help=t("import.files"), metavar="FILE…")],
        output: Annotated[
            Path, typer.Option("-o", "--output", help=t("import.output"), metavar="DIR")
        ],
        profile: Annotated[
            str | None, typer.Option("--profile", help=t("import.profile"), metavar="NAME")
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help=t("import.force"), show_default=False, metavar="")
        ] = False,
        report_format: Annotated[
            str, typer.Option("--format", help=t("check.format"), metavar="FORMAT")
        ] = "text",
        lang: lang_option = None,
    ) -> None:
        language = _language(lang)
        _choose(report_format, reporting.REPORT_FORMATS, "--format", language)
        with _refusals(language):
            report = api.import_forms(files, output, profile=profile, force=force)
        lines: list[str] = []
        for result in report.files:
            count = str(len(result.forms) + len(result.departments))
            shown = text("imported.file", language, file=result.display, count=count)
            lines.append(shown)
            lines += _written(result.written, "  → ")
        last_line = text(
            "imported",
            language,
            files=str(len(report.files)),
            forms=str(sum(len(r.forms) + len(r.departments) for r in report.files)),
            written=str(len(report.written)),
            errors=str(report.errors),
            warnings=str(report.warnings),
        )
        _finish(report, report_format, language, last_line, lines=lines)

    @app.command(help=t("summary"), cls=command_class)
    def summary(
        builds: Annotated[
            list[Path] | None,
            typer.Argument(help=t("summary.builds"), show_default=False, metavar="[BUILD_DIR…]"),
        ] = None,
        output: Annotated[
            Path | None, typer.Option("-o", "--output", help=t("summary.output"), metavar="DIR")
        ] = None,
        formats: Annotated[
            list[str] | None,
            typer.Option("--format", help=t("summary.format"), metavar="FORMAT"),
        ] = None,
        lang: lang_option = None,
    ) -> None:
        language = _language(lang)
        with _refusals(language):
            report = api.summary(
                builds or [], output, formats=formats or api.DEFAULT_SUMMARY_FORMATS
            )
        autumn, spring = str(report.projects - report.goals), str(report.goals)
        key = "summarised.both" if report.goals and autumn != "0" else "summarised"
        key = "summarised.goals" if autumn == "0" and report.goals else key
        last_line = text(key, language, projects=autumn, goals=spring)
        if report.departments:
            count = str(report.departments)
            last_line += text("summarised.departments", language, departments=count)
        _finish(report, "text", language, last_line, lines=_written(report.written))

    @app.command(help=t("merge"), cls=command_class)
    def merge(
        shards: Annotated[list[Path], typer.Argument(help=t("merge.shards"), metavar="SHARD_DIR…")],
        output: Annotated[
            Path, typer.Option("-o", "--output", help=t("merge.output"), metavar="DIR")
        ],
        lang: lang_option = None,
    ) -> None:
        language = _language(lang)
        with _refusals(language):
            report = api.merge(shards, output)
        files, forms = str(len(report.written)), str(report.forms)
        last_line = text("merged", language, files=files, forms=forms)
        _finish(report, "text", language, last_line)

    @app.command(help=t("rollover"), cls=command_class)
    def rollover(
        sources: Annotated[list[Path], typer.Argument(help=t("rollover.sources"), metavar="SRC…")],
        year: Annotated[int, typer.Option("--year", help=t("rollover.year"), metavar="N")],
        output: Annotated[
            Path, typer.Option("-o", "--output", help=t("rollover.output"), metavar="DEST")
        ],
        force: Annotated[
            bool, typer.Option("--force", help=t("import.force"), show_default=False, metavar="")
        ] = False,
        lang: lang_option = None,
    ) -> None:
        language = _language(lang)
        if not 1990 <= year <= 2200:
            _usage(text("bad-year", language, year=str(year)))
        with _refusals(language):
            report = api.rollover(sources, year, output, force=force)
        written, errors = str(len(report.written)), str(report.errors)
        shown = shlex.quote(str(output))  # the folder written, which need not be the spec root
        key = "rolled" if report.written else "rolled.none"
        last_line = text(key, language, written=written, errors=errors, output=shown)
        _finish(report, "text", language, last_line, lines=_written(report.written))

    @app.command(help=t("serve"), cls=command_class)
    def serve(
        paths: paths_argument = None,
        port: Annotated[
            int, typer.Option("--port", help=t("serve.port"), min=0, max=65535, metavar="N")
        ] = 8000,
        host: Annotated[str, typer.Option("--host", help=t("serve.host"), metavar="HOST")] = (
            "127.0.0.1"
        ),
        lang: lang_option = None,
    ) -> None:
        import time

        from selfeval_compiler.preview.serve import LOCAL_HOSTS, start

        language = _language(lang)
        with _refusals(language):
            given = api.spec_paths(paths or [])
        if host not in LOCAL_HOSTS:
            typer.echo(one_line(text("serve.exposed", language, host=host)), err=True)
        try:
            with _refusals(language):
                server, stop = start(given, host, port, lang=language)
        except OSError as error:
            _usage(text("serve.cannot-bind", language, port=str(port), detail=str(error)))
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{server.server_address[1]}/"
        typer.echo(one_line(text("serve.url", language, url=url)))
        try:
            while True:
                time.sleep(3600)
        finally:
            stop()

    @app.command(help=t("completion"), cls=command_class)
    def completion(
        shell: Annotated[str, typer.Argument(help=t("completion.shell"), metavar="bash|zsh")],
        lang: lang_option = None,
    ) -> None:
        from typer._completion_shared import get_completion_script

        _choose(shell, SHELLS, "SHELL", _language(lang))
        script = get_completion_script(
            prog_name="selfeval", complete_var="_SELFEVAL_COMPLETE", shell=shell
        )
        typer.echo(script)

    @app.command(help=t("version"), cls=command_class)
    def version() -> None:
        typer.echo(f"selfeval {__version__}")

    return app


SHELLS = ("bash", "zsh")
"""The shells ``selfeval completion`` writes a script for (Typer's bash and zsh protocols)."""

_SHARD = re.compile(r"([0-9]{1,4})/([0-9]{1,4})")
"""ASCII digits only (``str.isdigit`` and ``int`` also take ``²``, ``١`` and ``１``)."""
_DIGITS = re.compile(r"[0-9]{1,4}")


def _shard(given: str, lang: str) -> tuple[int, int]:
    """``K/N``; ``index/N`` takes K from a Kubernetes Indexed Job (``JOB_COMPLETION_INDEX``,
    counted from 0)."""
    if given.startswith("index/"):
        index = os.environ.get("JOB_COMPLETION_INDEX", "")
        if _DIGITS.fullmatch(index) is None:
            _usage(phrase("usage.shard-index", given=given[:40], index=index[:20]).text(lang))
        given = f"{int(index) + 1}/{given.removeprefix('index/')}"
    match = _SHARD.fullmatch(given)
    if match is None or not 1 <= int(match[1]) <= int(match[2]) <= 1000:
        _usage(phrase("usage.shard", given=given[:40]).text(lang))
    return int(match[1]), int(match[2])


def _split_revisions(arguments: list[str], lang: str) -> tuple[list[str], list[Path]]:
    """Existing paths are paths; anything else must be a revision (at most two)."""
    revisions = [a for a in arguments if not Path(a).exists()]
    paths = [Path(a) for a in arguments if Path(a).exists()]
    if len(revisions) > 2:
        _usage(text("too-many-revisions", lang, revisions=" ".join(revisions)))
    return revisions, paths


completion_init()  # Typer's bash and zsh completion, answered through _SELFEVAL_COMPLETE
app = build_app(default_language())
"""The app in the environment's language (for tests and embedding)."""


def main() -> None:
    """Entry point: usage errors exit 2, Ctrl-C prints one line and exits 130, and no
    traceback reaches the user unless ``SELFEVAL_DEBUG=1`` asks for it."""
    argv = sys.argv[1:]
    lang = language_of(argv)
    lang = lang if lang in LANGUAGES else default_language()
    try:
        code = build_app(lang)(args=argv, prog_name="selfeval", standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        code = int(Exit.INTERRUPTED)
    except TyperException as error:  # the command line itself is wrong: usage, exit 2
        if hasattr(error, "show"):
            sys.stderr.write(usage_error_text(error, lang))  # type: ignore[arg-type]
        no_arguments = type(error).__name__ == "NoArgsIsHelpError"
        code = int(Exit.CLEAN if no_arguments else Exit.USAGE)
    except Exception as error:  # the last line of defence: report, never a traceback
        internal_error = internal(Location("selfeval"), error)
        sys.stderr.write(reporting.as_text(internal_error, lang) + "\n")
        code = int(Exit.USAGE)
    if code == Exit.INTERRUPTED:  # Typer turns Ctrl-C into exit code 130 without a word
        sys.stderr.write(f"\nselfeval: {text('interrupted', lang)}\n")
    sys.exit(code if isinstance(code, int) else int(Exit.CLEAN))


if __name__ == "__main__":
    main()
