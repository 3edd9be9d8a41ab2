"""Diagnostics → text for people, editors and CI (GNU style, JSON, GitHub annotations)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from selfeval_compiler import __version__
from selfeval_compiler.diagnostics import CATALOGUE, Diagnostic

REPORT_FORMATS = ("text", "json", "github", "sarif")


def _spoken(entry: str) -> str | None:
    """``en`` or ``zh`` for a locale name (``en_US.UTF-8``, ``zh_CN``, ``en``), else ``None``
    (``C``, ``POSIX``, ``fr_FR``: a locale that names neither)."""
    name = entry.strip().lower()
    for language in ("en", "zh"):
        if name == language or name.startswith((language + "_", language + "-", language + ".")):
            return language
    return None


def default_language() -> str:
    """The language the environment asks for, as gettext reads it: ``SELFEVAL_LANG`` first
    (selfeval's own), then ``LANGUAGE`` (a priority list, ``en_US:en``: its first entry naming
    Chinese or English decides), then the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: the
    first one set decides, English only when it names English). Chinese when none says."""
    for entry in os.environ.get("SELFEVAL_LANG", "").split(":") + os.environ.get(
        "LANGUAGE", ""
    ).split(":"):
        spoken = _spoken(entry)
        if spoken is not None:
            return spoken
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return _spoken(value) or "zh"
    return "zh"


_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
"""Bidi controls (which reorder the text printed after them: U+202A–U+202E, U+2066–U+2069,
U+061C, U+200E/U+200F) and zero-width characters (U+200B–U+200D, U+2060, U+FEFF), which hide
a difference between two texts that look the same. A spec may hold none (SE025), imported
text loses them, and printed lines show them as escapes."""
_CONTROL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029{_INVISIBLE}]")
"""Everything that breaks a line for some reader (``str.splitlines``, a terminal, a CI log:
LF, CR, VT, FF, FS–RS, NEL, U+2028/2029), other control characters, and invisible ones."""
_JSON_UNSAFE = re.compile(f"[\\x7f-\\x9f\\u2028\\u2029{_INVISIBLE}]")


def printable(text: str) -> str:
    """``text`` that any UTF-8 stream can take: a file name's undecodable bytes (held as
    surrogates) are shown as escapes instead of failing the print."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _shown(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    """``text`` with line breaks, other control characters, bidi controls and zero-width
    characters shown as escapes (``\\n``, ``\\u2028``, ``\\u202e``)."""
    return printable(_CONTROL.sub(_shown, text))


def one_line(text: str) -> str:
    """``text`` safe on one line of plain output — THE function every printed line from
    outside input (file names, spec text, options) goes through: line breaks, other control
    characters, bidi controls and zero-width characters shown as visible escapes (``\\n``,
    ``\\u2028``), and never a leading ``::`` (which CI runners read as a command)."""
    shown = visible(text)
    return "./" + shown if shown.lstrip().startswith("::") else shown


def json_text(data: object) -> str:
    """``data`` as JSON whose every line is safe to print: the characters JSON may leave raw
    inside strings but some readers take as line breaks (NEL, U+2028/2029) or that reorder
    text (bidi controls) are written as ``\\uXXXX`` escapes, which read back unchanged."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return printable(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def _place(diagnostic: Diagnostic) -> str:
    location = diagnostic.location
    if location.line:
        return f"{location.file}:{location.line}:{location.column}"
    return location.file


def as_text(diagnostic: Diagnostic, lang: str) -> str:
    severity, code = diagnostic.severity.value, diagnostic.code
    return one_line(f"{_place(diagnostic)}: {severity} {code} {diagnostic.message(lang)}")


def as_record(diagnostic: Diagnostic, lang: str) -> dict[str, object]:
    record = diagnostic.to_record()
    record["message"] = printable(record.pop(lang))
    record["file"] = printable(record["file"])
    record["path"] = printable(record["path"])
    del record["zh" if lang == "en" else "en"], record["parts"]
    return record


def escape_github(text: str, property_value: bool = False) -> str:
    """``text`` as the data (or, with ``property_value``, a property) of a GitHub workflow
    command, by GitHub's rules: ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``, and in a property
    ``:`` → ``%3A``, ``,`` → ``%2C``; the other line breaks and controls as in :func:`one_line`."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return printable(_CONTROL.sub(_shown, text))


def as_github(diagnostic: Diagnostic, lang: str) -> str:
    location = diagnostic.location
    kind = "error" if diagnostic.severity.value == "error" else "warning"
    properties = [f"file={escape_github(location.file, True)}"]
    if location.line:
        properties += [f"line={location.line}", f"col={location.column}"]
    properties.append(f"title={diagnostic.code}")
    message = escape_github(diagnostic.message(lang))
    return printable(f"::{kind} {','.join(properties)}::{message}")


def sarif_uri(file: str) -> str:
    """A file as a SARIF URI: relative (to the working folder) and percent-encoded."""
    path = Path(file)
    if path.is_absolute():
        path = Path(os.path.relpath(path, Path.cwd()))
    return quote(path.as_posix(), safe="/", errors="surrogateescape")


def as_sarif(diagnostics: list[Diagnostic], lang: str) -> dict[str, object]:
    """SARIF 2.1.0, for code-scanning dashboards."""
    rules = [
        {
            "id": info.code,
            "name": info.name,
            "shortDescription": {"text": info.en if lang == "en" else info.zh},
            "help": {"text": info.fix_en if lang == "en" else info.fix_zh},
            "defaultConfiguration": {"level": info.severity.value},
        }
        for info in CATALOGUE.values()
    ]
    results = []
    for diagnostic in diagnostics:
        location = diagnostic.location
        physical: dict[str, object] = {"artifactLocation": {"uri": sarif_uri(location.file)}}
        if location.line:
            physical["region"] = {
                "startLine": location.line,
                "startColumn": max(location.column, 1),
            }
        results.append(
            {
                "ruleId": diagnostic.code,
                "level": diagnostic.severity.value,
                "message": {"text": printable(diagnostic.message(lang))},
                "locations": [
                    {
                        "physicalLocation": physical,
                        "logicalLocations": [{"fullyQualifiedName": location.json_path}],
                    }
                ],
            }
        )
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [
            {
                "tool": {"driver": {"name": "selfeval", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }


def render(diagnostics: list[Diagnostic], report_format: str, lang: str) -> str:
    if report_format == "sarif":
        return json_text(as_sarif(diagnostics, lang))
    if report_format == "json":
        return json_text([as_record(d, lang) for d in diagnostics])
    formatter = as_github if report_format == "github" else as_text
    return "\n".join(formatter(d, lang) for d in diagnostics)


def summary(files: int, errors: int, warnings: int, lang: str) -> str:
    if lang == "en":
        return f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)"
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告"


def build_summary(
    files: int, built: int, skipped: int, errors: int, warnings: int, lang: str
) -> str:
    if lang == "en":
        return (
            f"{files} form(s): {built} built, {skipped} up to date; {errors} error(s), "
            f"{warnings} warning(s)"
        )
    return (
        f"{files} 份表单：生成 {built} 份，已是最新 {skipped} 份；"
        f"{errors} 个错误，{warnings} 个警告"
    )
