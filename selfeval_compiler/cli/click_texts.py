"""Click's own words (usage errors, help headings) in the user's language.

Typer 0.29 carries its own copy of Click (``typer._click``) whose texts are English
f-strings, not gettext calls, so there is no catalogue to install a translation into. Two
hooks remain, both here: a help formatter whose usage prefix, section headings and the
``--help`` line speak Chinese (:func:`context_class`), and :func:`usage_error_text`, which
turns a usage error into the lines Click would print, each English sentence Click or Typer
writes replaced by its Chinese one. An unknown sentence stays English after ``错误：``;
``tests/test_cli_language.py`` runs each one through the real parser, so a Typer upgrade
that rewords one fails a test instead of silently printing English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence

from typer._click.exceptions import ClickException, UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup
from typer.models import Context

from selfeval_compiler.diagnostics import Language

_HEADINGS = {"Arguments": "参数", "Options": "选项", "Commands": "命令"}
_HELP_LINE = {"Show this message and exit.": "显示本帮助并退出。"}

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rule(pattern: str, replace: Callable[[re.Match[str]], str]) -> _Rule:
    return re.compile(pattern, re.DOTALL), replace


_VALUES: list[_Rule] = [
    _rule(r"Input should be a valid integer.*", lambda m: "应为整数"),
    _rule(r"Input should be greater than or equal to (\S+)", lambda m: f"不能小于 {m[1]}"),
    _rule(r"Input should be less than or equal to (\S+)", lambda m: f"不能大于 {m[1]}"),
    _rule(r"Value (.+) is not a valid (\w+)\.", lambda m: f"{m[1]} 不是有效的 {m[2]}"),
]
"""What an option's value was refused for (after ``Invalid value for …:``)."""


def _value(message: str) -> str:
    for pattern, replace in _VALUES:
        match = pattern.fullmatch(message)
        if match:
            return replace(match)
    return message


_MESSAGES: list[_Rule] = [
    _rule(
        r"No such option: (\S+) \(Possible options: (.*)\)",
        lambda m: f"没有选项 {m[1]}（可能是：{m[2]}）",
    ),
    _rule(r"No such option: (.+)", lambda m: f"没有选项 {m[1]}"),
    _rule(r"No such command '(.+)'\.", lambda m: f"没有命令 '{m[1]}'"),
    _rule(r"Missing command\.", lambda m: "缺少命令"),
    _rule(r"Missing argument (.+)\.", lambda m: f"缺少参数 {m[1]}"),
    _rule(r"Missing option (.+)\.", lambda m: f"缺少选项 {m[1]}"),
    _rule(r"Missing parameter (.+)\.", lambda m: f"缺少参数 {m[1]}"),
    _rule(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", lambda m: f"多余的参数：{m[1]}"),
    _rule(r"Option (.+) requires an argument\.", lambda m: f"选项 {m[1]} 后面要给一个值"),
    _rule(r"Option (.+) requires (\d+) arguments\.", lambda m: f"选项 {m[1]} 后面要给 {m[2]} 个值"),
    _rule(r"Option (.+) does not take a value\.", lambda m: f"选项 {m[1]} 不带值"),
    _rule(r"Invalid value for (.+?): (.*)", lambda m: f"{m[1]} 的值无效：{_value(m[2])}"),
    _rule(r"Invalid value: (.*)", lambda m: f"值无效：{_value(m[1])}"),
    _rule(r"Value (.+) is not a valid (\w+)\.", lambda m: f"{m[1]} 不是有效的 {m[2]}"),
]
"""Every sentence of Click's and Typer's usage errors, English → Chinese."""


def message_in(message: str, lang: str) -> str:
    """One usage-error sentence of Click's in ``lang`` (unchanged in English)."""
    if lang == Language.EN:
        return message
    for pattern, replace in _MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return replace(match)
    return message


def usage_error_text(error: ClickException, lang: str) -> str:
    """What Click prints for ``error`` (usage line, the hint, ``Error: …``), in ``lang``."""
    buffer = io.StringIO()
    error.show(file=buffer)
    if lang == Language.EN:
        return buffer.getvalue()
    message = error.format_message()
    lines: list[str] = []
    for line in buffer.getvalue().splitlines():
        if line.startswith("Usage: "):
            line = "用法：" + line.removeprefix("Usage: ")
        elif (hint := re.fullmatch(r"Try '(.+)' for help\.", line)) is not None:
            line = f"运行 '{hint[1]}' 查看帮助。"
        elif line == f"Error: {message}":
            line = f"错误：{message_in(message, lang)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def is_usage_error(error: BaseException) -> bool:
    return isinstance(error, UsageError)


class _ChineseFormatter(HelpFormatter):
    """Click's help formatter with its own words in Chinese (the app's are already)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        shown = [(term, _HELP_LINE.get(definition, definition)) for term, definition in rows]
        super().write_dl(shown, col_max, col_spacing)


class _ChineseContext(Context):
    formatter_class = _ChineseFormatter


class ChineseGroup(TyperGroup):
    context_class = _ChineseContext


class ChineseCommand(TyperCommand):
    context_class = _ChineseContext


def command_classes(lang: str) -> tuple[type[TyperGroup], type[TyperCommand]]:
    """The Click classes of an app whose help speaks ``lang``."""
    if lang == Language.EN:
        return TyperGroup, TyperCommand
    return ChineseGroup, ChineseCommand
