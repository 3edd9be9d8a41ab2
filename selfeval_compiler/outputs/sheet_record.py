"""A form's sheet of the folder workbook, as data: what a build leaves behind for each form so
that the folder workbook (``_combined.xlsx``) is written without compiling any form again.

A worker that writes a form's ``.xlsx`` also lays the form out once more against a recorder
(:func:`record_sheet`): every call the layout makes on the workbook (``add_format``) and the
sheet (``merge_range``, ``write_string``, ``set_column``…), in order, with the figures the 清单
sheet lists. The record is kept as JSON beside the build (``.selfeval-sheets/``), and the folder
workbook replays the records of its forms (:func:`replay`) into XlsxWriter: the same calls in
the same order as laying the forms out, so the same bytes. A one-machine build and the merge
of a sharded build (``selfeval merge``) write the folder workbook by this one code from these
same records.

A record read back is data from a folder someone may have forged (a shard's folder): only the
sheet methods and format options below are replayed, with arguments of plain JSON kinds, and a
record above :data:`MAX_RECORD_BYTES` is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1
MAX_RECORD_BYTES = 8 * 1024 * 1024
"""Far above any form's sheet (a 200-cell form is ≈ 20 KB)."""

SHEET_METHODS = frozenset(
    {
        "center_horizontally",
        "fit_to_pages",
        "merge_range",
        "repeat_rows",
        "set_column",
        "set_landscape",
        "set_margins",
        "set_paper",
        "set_portrait",
        "set_row",
        "write_number",
        "write_string",
    }
)
FORMAT_OPTIONS = frozenset(
    {"border", "text_wrap", "valign", "font_size", "bold", "align", "num_format", "italic"}
)
KINDS = ("autumn", "spring", "department")


class BadRecord(ValueError):
    """A sheet record that is not one this version writes."""


@dataclass
class FormSheet:
    """One form's sheet: its kind (``autumn`` 自评表, ``spring`` 申报表, ``department``), the
    project and unit (sheet name, workbook author), the figures its 清单 row lists, and the
    layout's calls."""

    kind: str
    project: str
    unit: str
    row: dict[str, str] = field(default_factory=dict)
    ops: list[list[Any]] = field(default_factory=list)

    def dumps(self) -> bytes:
        data = {
            "format": FORMAT_VERSION,
            "kind": self.kind,
            "project": self.project,
            "unit": self.unit,
            "row": self.row,
            "ops": self.ops,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def loads(cls, data: bytes) -> FormSheet:
        if len(data) > MAX_RECORD_BYTES:
            raise BadRecord("sheet record too large")
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise BadRecord(f"sheet record unreadable: {error}") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT_VERSION:
            raise BadRecord("sheet record of another version")
        kind, project, unit = raw.get("kind"), raw.get("project"), raw.get("unit")
        row, ops = raw.get("row"), raw.get("ops")
        if kind not in KINDS or not isinstance(project, str) or not isinstance(unit, str):
            raise BadRecord("sheet record without kind, project or unit")
        if not isinstance(row, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in row.items()
        ):
            raise BadRecord("sheet record with a bad 清单 row")
        if not isinstance(ops, list) or not all(_valid_op(op) for op in ops):
            raise BadRecord("sheet record with a call selfeval does not make")
        return cls(kind, project, unit, row, ops)


def _plain(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float, str)) or value is None:
        return True
    return isinstance(value, dict) and set(value) == {"format"} and isinstance(value["format"], int)


def _valid_op(op: object) -> bool:
    if not isinstance(op, list) or not op or not isinstance(op[0], str):
        return False
    if op[0] == "add_format":
        props = op[1] if len(op) == 2 else None
        return (
            isinstance(props, dict)
            and set(props) <= FORMAT_OPTIONS
            and all(isinstance(v, (bool, int, str)) for v in props.values())
        )
    if op[0] not in SHEET_METHODS or len(op) != 3:
        return False
    args, keywords = op[1], op[2]
    return (
        isinstance(args, list)
        and all(_plain(a) for a in args)
        and isinstance(keywords, dict)
        and all(isinstance(k, str) and _plain(v) for k, v in keywords.items())
    )


class _FormatRef:
    def __init__(self, index: int) -> None:
        self.index = index


def _encode(value: Any) -> Any:
    if isinstance(value, _FormatRef):
        return {"format": value.index}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    raise TypeError(f"a sheet call with {type(value).__name__}")


class _RecordingWorkbook:
    def __init__(self, ops: list[list[Any]]) -> None:
        self.ops = ops
        self.formats = 0

    def add_format(self, properties: dict[str, Any]) -> _FormatRef:
        self.ops.append(["add_format", dict(properties)])
        self.formats += 1
        return _FormatRef(self.formats - 1)


class _RecordingSheet:
    def __init__(self, ops: list[list[Any]]) -> None:
        self.ops = ops

    def __getattr__(self, name: str) -> Any:
        if name not in SHEET_METHODS:
            raise AttributeError(name)

        def call(*args: Any, **keywords: Any) -> None:
            encoded = {k: _encode(v) for k, v in keywords.items()}
            self.ops.append([name, [_encode(a) for a in args], encoded])

        return call


def record_sheet(form: Any) -> FormSheet:
    """The form's sheet as the folder workbook lays it out (a 自评表, a 申报表 or a
    department form's presentation model)."""
    from selfeval_compiler.forms.department import DepartmentPresentation
    from selfeval_compiler.forms.goals import GoalsPresentation
    from selfeval_compiler.outputs import xlsx_format

    ops: list[list[Any]] = []
    out = xlsx_format._Sheet(_RecordingWorkbook(ops), _RecordingSheet(ops))
    if isinstance(form, GoalsPresentation):
        xlsx_format._goals_layout(out, form)
        return FormSheet("spring", form.project, form.unit, xlsx_format.goals_row(form), ops)
    if isinstance(form, DepartmentPresentation):
        from selfeval_compiler.outputs.department_xlsx import department_layout

        department_layout(out, form)
        return FormSheet("department", form.project, form.unit, {}, ops)
    xlsx_format._layout(out, form)
    return FormSheet("autumn", form.project, form.unit, xlsx_format.autumn_row(form), ops)


def replay(workbook: Any, sheet: Any, record: FormSheet) -> None:
    """Make ``record``'s calls on a real XlsxWriter ``workbook`` and ``sheet``."""
    formats: list[Any] = []

    def decode(value: Any) -> Any:
        if isinstance(value, dict):
            index = value["format"]
            if not 0 <= index < len(formats):
                raise BadRecord("sheet record names a format it did not make")
            return formats[index]
        return value

    for op in record.ops:
        if op[0] == "add_format":
            formats.append(workbook.add_format(op[1]))
            continue
        args = [decode(a) for a in op[1]]
        keywords = {k: decode(v) for k, v in op[2].items()}
        getattr(sheet, op[0])(*args, **keywords)
