"""Every form lands in one right place (#10): the spec root, no shared outputs, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import spec, write

from selfeval_compiler import api
from selfeval_compiler.outputs.layout import safe_name


def _outputs(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {
        ".selfeval-build.json",
    }


def _repository(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_output_paths_depend_on_the_spec_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    write(root / "specs" / "2024", spec(), "a.yaml")
    write(root / "specs" / "2024", spec(project="另一个"), "b.yaml")
    monkeypatch.chdir(root)
    for named in (Path("specs"), Path("specs/2024"), Path("specs/2024/a.yaml")):
        out = root / f"out-{len(named.parts)}"
        report = api.build([named], out, formats=["html"])
        assert report.errors == 0
        assert "2024/a.html" in _outputs(out), named


def test_a_configured_spec_root_is_mirrored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "selfeval.toml").write_text('spec_root = "forms"\n', encoding="utf-8")
    write(tmp_path / "forms" / "unit", spec(), "a.yaml")
    monkeypatch.chdir(tmp_path / "forms" / "unit")
    api.build([Path("a.yaml")], tmp_path / "out", formats=["json"])
    assert _outputs(tmp_path / "out") == {"unit/a.json"}


@pytest.mark.parametrize("value", ['"../outside"', '"/etc"', "7", '""'])
def test_a_spec_root_outside_the_project_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    (tmp_path / "selfeval.toml").write_text(f"spec_root = {value}\n", encoding="utf-8")
    write(tmp_path / "specs", spec(), "a.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(api.UsageError, match="spec_root"):
        api.check([Path("specs")])


def test_dotted_names_keep_their_year(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    write(root / "specs", spec(), "p.2023.yaml")
    write(root / "specs", spec(year=2024), "p.2024.yaml")
    report = api.build([root / "specs"], root / "out", formats=["html", "json"])
    assert report.errors == 0
    assert _outputs(root / "out") == {"p.2023.html", "p.2023.json", "p.2024.html", "p.2024.json"}


@pytest.mark.parametrize(
    "names",
    [
        ("x.yaml", "x.yml"),
        ("Report.yaml", "report.yaml"),
        ("a:b.yaml", f"{safe_name('a:b')}.yaml"),
    ],
)
def test_two_specs_never_share_an_output(tmp_path: Path, names: tuple[str, str]) -> None:
    root = _repository(tmp_path)
    for name in names:
        write(root / "specs", spec(), name)
    write(root / "specs", spec(project="无关"), "other.yaml")
    report = api.build([root / "specs"], root / "out", formats=["html"])
    clashes = [d for d in report.diagnostics if d.code == "SE014"]
    assert len(clashes) == 2
    assert all(any(n in d.message_zh for n in names) for d in clashes)
    assert _outputs(root / "out") == {"other.html"}


def test_same_names_from_two_unrooted_folders_are_refused(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write(one, spec(), "x.yaml")
    write(two, spec(project="二"), "x.yaml")
    report = api.build([one / "x.yaml", two / "x.yaml"], tmp_path / "out", formats=["html"])
    assert [d.code for d in report.diagnostics] == ["SE014", "SE014"]
    assert not (tmp_path / "out" / "x.html").exists()


def test_a_missing_path_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(api.UsageError) as raised:
        api.build([Path("specs")], Path("build"), formats=["html"])
    assert "specs" in raised.value.message.en
    assert "overlap" not in raised.value.message.en
    with pytest.raises(api.UsageError):
        api.check([tmp_path / "nothing.yaml"])
