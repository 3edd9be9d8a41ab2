"""The one record every stage reports through: a code, a severity, a place and a message.

Only the command line formats records (:mod:`selfeval_compiler.diagnostics.formats`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


@dataclass(frozen=True)
class Location:
    """Where a finding points: a file, a 1-based line and column, and a JSON path."""

    file: str
    line: int = 0
    column: int = 0
    path: tuple[str | int, ...] = ()

    @property
    def json_path(self) -> str:
        text = "$"
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
        return text


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    location: Location
    message_zh: str
    message_en: str
    args: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = Language.ZH) -> str:
        return self.message_en if lang == Language.EN else self.message_zh

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.file, self.location.line, self.location.column, self.code)

    def to_record(self) -> dict[str, Any]:
        """Plain data (both languages) for JSON reports and the build record."""
        location = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": location.file,
            "line": location.line,
            "column": location.column,
            "path": location.json_path,
            "parts": list(location.path),
            "zh": self.message_zh,
            "en": self.message_en,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Diagnostic:
        location = Location(
            record["file"], record["line"], record["column"], tuple(record["parts"])
        )
        return cls(
            record["code"], Severity(record["severity"]), location, record["zh"], record["en"]
        )


class DiagnosticError(Exception):
    """Raised inside a stage when it cannot go on; carries the findings so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message_en for d in diagnostics))
        self.diagnostics = diagnostics
