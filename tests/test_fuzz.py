"""Fuzzing: mutated specs end in a form or in diagnostics, never in an unhandled exception.

The default suite runs a small profile; a dedicated run takes thousands of examples:

    SELFEVAL_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_fuzz.py   # make fuzz
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


# --- diff trees, rollover shapes and summary folders (#19) -----------------------------------
# Each runs EXAMPLES examples under `make fuzz`, a few dozen in the default suite.

FUZZING = "SELFEVAL_FUZZ_EXAMPLES" in os.environ
HEAVY = EXAMPLES if FUZZING else 25
"""Examples for the fuzzers below, each of which runs git or writes a folder per example."""


def _sandbox_files(folder: Path, *skip: Path) -> set[Path]:
    return {
        path
        for path in folder.rglob("*")
        if not any(path == s or path.is_relative_to(s) for s in skip)
    }


# A tree entry: (name, kind, payload); a folder's payload is its own entries.
entry_names = st.one_of(
    st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")),
    st.sampled_from(
        [b"a.yaml", b"b.yaml", b"u", b"u.yaml", b"\xff\xfe.yaml", b"..", b".", b".git", b"x.yml"]
    ),
    st.integers(200, 300).map(lambda n: b"n" * n),
    st.text(max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass")),
).map(lambda n: n if n and n[-1:] != b"/" else b"_")
suffixed = st.tuples(entry_names, st.sampled_from([b"", b".yaml", b".yml"])).map(
    lambda pair: pair[0] + pair[1]
)
contents = st.one_of(
    st.just(to_yaml(BASE).encode()),
    st.just(to_yaml({**BASE, "project": "乙"}).encode()),
    st.binary(max_size=64),
    st.just(b"project: x\n" + b"# " * 3000),  # over the lowered cap below
    mutated(),
)
leaves = st.one_of(
    st.tuples(suffixed, st.sampled_from(["100644", "100755"]), contents),
    st.tuples(suffixed, st.just("120000"), st.sampled_from([b"../../../etc", b"/etc/passwd"])),
    st.tuples(suffixed, st.just("160000"), st.just(b"")),
)
trees = st.recursive(
    st.lists(leaves, max_size=4),
    lambda inner: st.lists(
        st.one_of(leaves, st.tuples(suffixed, st.just("040000"), inner)), max_size=4
    ),
    max_leaves=10,
)


class _Repository:
    """One repository for all examples (objects only accumulate; HEAD never moves)."""

    def __init__(self) -> None:
        import atexit
        import shutil
        import subprocess

        self.sandbox = Path(tempfile.mkdtemp(prefix="selfeval-fuzz-diff-"))
        atexit.register(shutil.rmtree, self.sandbox, ignore_errors=True)
        self.root = self.sandbox / "repo"
        (self.root / "specs").mkdir(parents=True)
        (self.root / "specs" / "a.yaml").write_text(to_yaml(BASE), encoding="utf-8")
        self.temp = self.sandbox / "tmp"
        self.temp.mkdir()
        self.run = subprocess.run
        self.git("init", "-q")
        self.git("add", ".")
        self.git("commit", "-qm", "base")
        self.head = self.git("rev-parse", "HEAD").decode().strip()

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        done = self.run(
            ["git", "-c", "user.email=f@example.invalid", "-c", "user.name=F", *args],
            cwd=self.root,
            input=stdin,
            capture_output=True,
            check=True,
        )
        return bytes(done.stdout)

    def tree(self, entries: list[tuple[bytes, str, Any]]) -> str | None:
        lines = []
        for name, mode, payload in entries:
            if mode == "040000":
                sha = self.tree(payload)
                kind = "tree"
            elif mode == "160000":
                sha, kind = self.head, "commit"
            else:
                sha = self.git("hash-object", "-w", "--stdin", stdin=payload).decode().strip()
                kind = "blob"
            if sha is None:
                return None
            lines.append(f"{mode} {kind} {sha}\t".encode() + name + b"\n")
        try:
            return self.git("mktree", "--missing", stdin=b"".join(lines)).decode().strip()
        except Exception:
            return None  # git itself refuses the tree


_REPOSITORY: list[_Repository] = []


@settings(max_examples=HEAVY, deadline=None, suppress_health_check=list(HealthCheck))
@given(entries=trees, old_side=st.booleans(), specs_only=st.booleans())
def test_any_git_tree_diffs_to_findings_never_a_crash(
    entries: list[tuple[bytes, str, Any]], old_side: bool, specs_only: bool
) -> None:
    from selfeval_compiler import api
    from selfeval_compiler.sources import yaml_loader

    if not _REPOSITORY:
        _REPOSITORY.append(_Repository())
    repository = _REPOSITORY[0]
    inner = repository.tree(entries)
    if inner is None:
        return
    top = inner if not specs_only else repository.tree([(b"specs", "040000", entries)])
    if top is None:
        return
    commit = repository.git("commit-tree", top, "-p", "HEAD", "-m", "fuzz").decode().strip()
    old, new = (commit, "HEAD") if old_side else ("HEAD", commit)
    before = _sandbox_files(repository.sandbox, repository.root / ".git")
    cap, yaml_loader.MAX_FILE_BYTES = yaml_loader.MAX_FILE_BYTES, 4096
    saved, tempfile.tempdir = tempfile.tempdir, str(repository.temp)
    try:
        report = api.diff([Path("specs")], old, new, cwd=repository.root)
    except api.UsageError:
        return  # nothing compared (no spec under specs/ in either): said as usage
    finally:
        yaml_loader.MAX_FILE_BYTES, tempfile.tempdir = cap, saved
    found = report.old.diagnostics + report.new.diagnostics
    assert "SE999" not in {d.code for d in found}, found
    assert _sandbox_files(repository.sandbox, repository.root / ".git") == before
    assert not (repository.sandbox.parent / "etc").exists()


yaml_tags = st.sampled_from(
    [
        "!custom ",
        "!!python/object:os.system ",
        "!!python/name:os.system ",
        "!!binary ",
        "!!set ",
        "!!omap ",
        "!!str ",
        "!!map ",
        "!!seq ",
        "!!int ",
        "!<tag:example.com,2000:x> ",
    ]
)
spec_keys = st.sampled_from(["funds", "goals", "indicators", "year", "project", "stage"])


@st.composite
def rollover_shapes(draw: st.DrawFn) -> str:
    """A spec-like YAML text of any shape: another value at any key, any level; a list, a
    scalar or null at the top; tags anywhere; several documents."""
    data: Any = copy.deepcopy(BASE)
    choice = draw(st.integers(0, 5))
    if choice == 0:
        data = draw(values)
    else:
        for _ in range(draw(st.integers(1, 3))):
            paths = [p for p in _paths(data) if p] or [(draw(spec_keys),)]
            path = draw(st.sampled_from(paths))
            if draw(st.booleans()) and path[0] != "indicators":
                path = (draw(spec_keys),)
            parent = _parent(data, path)
            if isinstance(parent, dict) or isinstance(path[-1], int):
                parent[path[-1]] = draw(values)
    text = to_yaml(data) if data is not None else "~\n"
    for _ in range(draw(st.integers(0, 2))):  # a tag before some value
        spots = [i + 2 for i in range(len(text)) if text.startswith((": ", "- "), i)] or [0]
        spot = draw(st.sampled_from(spots))
        text = text[:spot] + draw(yaml_tags) + text[spot:]
    if draw(st.integers(0, 5)) == 0:
        text += draw(st.sampled_from(["---\n", "---\n~\n", "--- !custom\na: 1\n", "...\n"]))
    return text


@settings(max_examples=HEAVY, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=rollover_shapes())
def test_rollover_of_any_shape_is_findings_and_the_others_roll_over(text: str) -> None:
    from selfeval_compiler import api

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        source = root / "specs"
        source.mkdir()
        (source / "fuzz.yaml").write_text(text, encoding="utf-8")
        (source / "ok.yaml").write_text(to_yaml(BASE), encoding="utf-8")
        out = root / "next"
        report = api.rollover([source], 2024, out)
        assert "SE999" not in {d.code for d in report.diagnostics}, report.diagnostics
        assert out / "ok.yaml" in report.written
        for diagnostic in report.diagnostics:
            assert Path(diagnostic.location.file).name == "fuzz.yaml", diagnostic
        for path in root.rglob("*"):
            assert path.is_relative_to(source) or path.is_relative_to(out) or path.name == ".git"


def _form_json() -> dict[str, Any]:
    import json

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        path.write_text(to_yaml(BASE), encoding="utf-8")
        (Path(folder) / ".git").mkdir()
        spec_files, _ = discover([path])
        (compiled,) = compile_batch(spec_files)
        assert compiled.form is not None
        data: dict[str, Any] = json.loads(form_to_json(present(compiled.form)))
        return data


_FORM_JSON: list[dict[str, Any]] = []
huge_numbers = st.one_of(
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e999", "9" * 5000, "-0", "1,000.00", "１２", "NaN", "1" * 16]),
)


@st.composite
def json_files(draw: st.DrawFn) -> tuple[str, bytes]:
    import json

    if not _FORM_JSON:
        _FORM_JSON.append(_form_json())
    data: Any = copy.deepcopy(_FORM_JSON[0])
    if draw(st.booleans()):
        data["form"] = draw(st.sampled_from(["goals", "self-evaluation", 3, None]))
    for _ in range(draw(st.integers(0, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        action = draw(st.sampled_from(["values", "number", "delete"]))
        if action == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(values if action == "values" else huge_numbers)
    raw = json.dumps(data, ensure_ascii=draw(st.booleans()), default=str).encode("utf-8")
    kind = draw(st.integers(0, 9))
    if kind == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]  # malformed
    elif kind == 1:
        raw = draw(st.binary(max_size=40))
    elif kind == 2:
        raw = b"[" * 5000 + b"]" * 5000
    name = draw(st.sampled_from(["a.json", "b.json", "sub/c.json", "sub/deep/d.json", "x.txt"]))
    return name, raw


@settings(max_examples=HEAVY, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    files=st.lists(json_files(), max_size=5),
    links=st.lists(
        st.tuples(
            st.sampled_from(["l.json", "sub/l.json", "ldir", "sub/ldir"]),
            st.sampled_from(["outside", "outside/secret.json", "missing", "."]),
        ),
        max_size=3,
    ),
)
def test_any_build_folder_summarises_to_findings_never_a_crash(
    files: list[tuple[str, bytes]], links: list[tuple[str, str]]
) -> None:
    import json

    from selfeval_compiler import api

    if not _FORM_JSON:
        _FORM_JSON.append(_form_json())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build = root / "build"
        build.mkdir()
        outside = root / "outside"
        outside.mkdir()
        (outside / "secret.json").write_text(json.dumps(_FORM_JSON[0]), encoding="utf-8")
        for name, raw in files:
            (build / name).parent.mkdir(parents=True, exist_ok=True)
            (build / name).write_bytes(raw)
        for name, target in links:
            link = build / name
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists() and not link.is_symlink():
                link.symlink_to(root / target)
        before = _sandbox_files(root)
        out = root / "out"
        report = api.summary([build], out, formats=["json", "html"])
        assert "SE999" not in {d.code for d in report.diagnostics}, report.diagnostics
        assert all(path.parent == out for path in report.written)
        assert _sandbox_files(root, out) == before
        assert (outside / "secret.json").read_text(encoding="utf-8") == json.dumps(_FORM_JSON[0])
