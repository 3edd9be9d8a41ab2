from __future__ import annotations

from pathlib import Path

import pytest
from helpers import codes, compile_one, spec, write

from selfeval_compiler import api
from selfeval_compiler.diagnostics import DiagnosticError
from selfeval_compiler.model.profiles import builtin_names, load_profile


def test_builtin_profiles_load_and_validate() -> None:
    assert builtin_names() == ["mof-2020", "mof-central", "shanghai-municipal"]
    mof = load_profile("mof-2020")
    shanghai = load_profile("shanghai-municipal")
    assert (mof.rounding_mode, mof.grade_row, mof.labels.funds_weight) == ("half-up", False, "分值")
    assert (shanghai.rounding_mode, shanghai.grade_row, shanghai.labels.funds_weight) == (
        "truncate",
        True,
        "分数",
    )
    assert shanghai.hierarchy == mof.hierarchy  # inherited


def test_unknown_profile_points_at_the_spec(tmp_path: Path) -> None:
    compiled = compile_one(tmp_path, spec(profile="beijing-2031"))
    assert codes(compiled) == ["SE504"]
    assert compiled.diagnostics[0].location.line > 0


def test_invalid_profile_file_is_reported_in_that_file(tmp_path: Path) -> None:
    compiled = compile_one(
        tmp_path,
        spec(profile="custom.profile.yaml"),
        "extends: mof-2020\nrounding: {mode: sideways}\n",
    )
    assert codes(compiled) == ["SE505"]
    assert compiled.diagnostics[0].location.file.endswith("custom.profile.yaml")
    assert compiled.diagnostics[0].location.line == 2


def test_profile_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.profile.yaml").write_text("extends: b.profile.yaml\n", encoding="utf-8")
    (tmp_path / "b.profile.yaml").write_text("extends: a.profile.yaml\n", encoding="utf-8")
    with pytest.raises(DiagnosticError) as error:
        load_profile("a.profile.yaml", tmp_path / "form.yaml")
    assert [d.code for d in error.value.diagnostics] == ["SE506"]


def test_defaults_fill_in_and_the_spec_wins(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository root stops the search
    write(tmp_path, "year: 2022\nunit: 上级单位\nprofile: shanghai-municipal\n", "_defaults.yaml")
    data = spec()
    for key in ("year", "department", "unit"):
        del data[key]
    write(tmp_path / "unit-a", "department: 某局\nunit: 某单位\n", "_defaults.yaml")
    write(tmp_path / "unit-a", data, "form.yaml")
    data_own_year = dict(data, year=2023)
    write(tmp_path / "unit-a", data_own_year, "own.yaml")
    report = api.check([tmp_path])
    forms = {c.spec_file.relative.stem: c.form for c in report.compiled}
    assert report.diagnostics == []
    form = forms["form"]
    assert form is not None
    assert (form.spec.year, form.spec.department, form.spec.unit, form.profile.name) == (
        2022,
        "某局",
        "某单位",
        "shanghai-municipal",
    )
    own = forms["own"]
    assert own is not None
    assert own.spec.year == 2023


def test_defaults_stop_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path, "year: 2022\ndepartment: 外部\nunit: 外部\n", "_defaults.yaml")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    data = spec()
    del data["year"]
    write(repo, data, "form.yaml")
    compiled = api.check([repo]).compiled[0]
    assert codes(compiled) == ["SE102"]


def test_profile_named_in_defaults_is_relative_to_the_defaults_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "district.profile.yaml").write_text(
        "extends: mof-2020\nname: district\namount_unit: 元\n", encoding="utf-8"
    )
    write(tmp_path, "profile: policy/district.profile.yaml\n", "_defaults.yaml")
    write(tmp_path / "forms", spec(), "form.yaml")
    compiled = api.check([tmp_path / "forms"]).compiled[0]
    assert compiled.form is not None, compiled.diagnostics
    assert compiled.form.profile.name == "district"
    assert compiled.form.profile.amount_unit == "元"


def test_discovery_skips_defaults_profiles_and_hidden(tmp_path: Path) -> None:
    write(tmp_path, spec(), "b.yaml")
    write(tmp_path, spec(), "a.yml")
    write(tmp_path, "year: 2023\n", "_defaults.yaml")
    write(tmp_path, "extends: mof-2020\n", "x.profile.yaml")
    write(tmp_path / ".hidden", spec(), "c.yaml")
    write(tmp_path / "sub", spec(), "d.yaml")
    names = [c.spec_file.relative.as_posix() for c in api.check([tmp_path]).compiled]
    assert names == ["a.yml", "b.yaml", "sub/d.yaml"]


def test_a_broken_defaults_file_is_reported_once_and_fails_its_specs(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "year: 2023\nunti: 某单位\n", "_defaults.yaml")
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        write(tmp_path, spec(), name)
    report = api.check([tmp_path])
    assert [(d.code, Path(d.location.file).name) for d in report.diagnostics] == [
        ("SE101", "_defaults.yaml")
    ]
    assert all(c.has_errors for c in report.compiled)
