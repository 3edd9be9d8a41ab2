"""Fuzzing: mutated specs end in a form or in diagnostics, never in an unhandled exception.

The default suite runs a small profile; a dedicated run takes thousands of examples:

    SELFEVAL_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py   # make fuzz
"""

from __future__ import annotations

import copy
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import BASE, to_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_compiler.diagnostics import CATALOGUE
from selfeval_compiler.forms.self_evaluation import present
from selfeval_compiler.outputs.html import render_html
from selfeval_compiler.outputs.json_format import form_to_json
from selfeval_compiler.rules.compiler import compile_batch
from selfeval_compiler.sources.discovery import discover

EXAMPLES = int(os.environ.get("SELFEVAL_FUZZ_EXAMPLES", "150"))

texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    ),
    texts,
    st.sampled_from(
        [
            "≥20(次)",
            "达成指标",
            "部分达成",
            "未达成年度指标且效果较差",
            "0",
            "=100(%)",
            "≤5%",
            "<script>",
            "&anchor",
            "*alias",
            "{a: 1}",
            "- x",
            "产出指标",
            "数量指标",
            "1e309",
            ".nan",
            "~",
            "2023-01-01",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data: Any = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(texts)] = draw(values)
        else:
            parent.append(draw(values))
    text = to_yaml(data) if isinstance(data, dict) else "[]\n"
    if draw(st.integers(0, 3)) == 0:  # a byte-level edit on top: broken YAML, odd characters
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(texts) + text[position + draw(st.integers(0, 3)) :]
    raw = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))] + draw(st.binary(max_size=4))
    return raw


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_specs_end_in_a_form_or_diagnostics(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(raw)
        (Path(folder) / ".git").mkdir()
        spec_files, problems = discover([path])
        assert problems == []
        (compiled,) = compile_batch(spec_files)
        for diagnostic in compiled.diagnostics:
            assert diagnostic.code in CATALOGUE
            assert diagnostic.location.line >= 0
            assert diagnostic.message_zh
        if not compiled.has_errors:
            assert compiled.form is not None
            assert "<html" in render_html(present(compiled.form))
            assert form_to_json(present(compiled.form)).startswith("{")
            assert isinstance(compiled.form.total, Decimal)


# --- numbers, file names and git trees (#10) -------------------------------------------------

number_texts = st.one_of(
    st.from_regex(r"[+-]?[0-9_]{0,20}(\.[0-9_]{0,12})?([eE][+-]?[0-9]{1,12})?", fullmatch=True),
    st.from_regex(r"0[xXbBoO][0-9a-fA-F_]{1,8}|[0-9]{1,3}(:[0-5][0-9]){1,3}", fullmatch=True),
    st.sampled_from(["1.0e-99999999", "1.0e+30", "-0.0", ".5", "5.", "1_0.0_1"]),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(number=number_texts)
def test_any_number_loads_bounded_or_is_refused(number: str) -> None:
    from selfeval_compiler.sources.yaml_loader import load_text

    document, problems = load_text(f"a: {number}\n", "n.yaml")
    if document is None:
        assert problems
        assert {p.code for p in problems} <= {"SE001", "SE007", "SE011", "SE012"}
        return
    value = document.data["a"]
    if isinstance(value, Decimal):
        assert value.is_finite()
        assert value.adjusted() < 15
        assert -int(value.as_tuple().exponent) <= 6
    elif isinstance(value, int) and not isinstance(value, bool):
        assert abs(value) < 10**15


names = st.text(
    alphabet=st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]),
    min_size=1,
    max_size=60,
).filter(lambda n: n not in (".", ".."))


@settings(
    max_examples=max(10, EXAMPLES // 5),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=names)
def test_any_file_name_builds_inside_the_output_or_is_reported(name: str) -> None:
    from selfeval_compiler import api

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        specs = root / "specs"
        specs.mkdir()
        try:
            (specs / f"{name}.yaml").write_text(to_yaml(BASE), encoding="utf-8")
        except OSError:
            return  # a name the file system itself refuses (too long)
        out = root / "out"
        report = api.build([specs], out, formats=["json"])
        assert all(d.code not in ("SE999",) for d in report.diagnostics), report.diagnostics
        for path in root.rglob("*"):
            assert path.is_relative_to(specs) or path.is_relative_to(out) or ".git" in path.parts


tree_names = st.one_of(
    names.map(lambda n: n + ".yaml"),
    st.sampled_from(["..", ".", "a\\b.yaml", "\x01.yaml", "x.yml", "-.yaml", " .yaml"]),
)


@settings(
    max_examples=max(10, EXAMPLES // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(entries=st.lists(tree_names, min_size=1, max_size=4, unique=True))
def test_any_git_tree_exports_inside_its_folder(entries: list[str]) -> None:
    import subprocess

    from selfeval_compiler.sources import git as gitsource

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        root.mkdir()
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        blob = (
            subprocess.run(
                ["git", "-C", str(root), "hash-object", "-w", "--stdin"],
                input=to_yaml(BASE).encode(),
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .strip()
        )
        inner = (
            subprocess.run(
                ["git", "-C", str(root), "mktree"],
                input=f"100644 blob {blob}\tevil.yaml\n".encode(),
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .strip()
        )
        lines = []
        for name in entries:
            if name in ("..", "."):
                lines.append(f"040000 tree {inner}\t{name}\n")
            else:
                lines.append(f"100644 blob {blob}\t{name}\n")
        made = subprocess.run(
            ["git", "-C", str(root), "mktree"],
            input="".join(lines).encode("utf-8", "surrogateescape"),
            capture_output=True,
            check=False,
        )
        if made.returncode != 0:
            return  # git itself refuses the tree (a slash, a duplicate)
        tree = made.stdout.decode().strip()
        destination = Path(folder) / "export"
        destination.mkdir()
        exported, refused = gitsource.export_yaml(root, tree, destination)
        for path in Path(folder).rglob("*"):
            inside = path.is_relative_to(destination) or path.is_relative_to(root)
            assert inside, path
        assert len(exported) + len(refused) <= len(entries) + 1
