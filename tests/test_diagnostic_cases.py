"""Diagnostic cases as data: each tests/cases entry lists the codes, lines and columns it expects.

A case is a spec file, or a folder (a spec ``form.yaml`` with the profile or defaults files it
needs). Expectations are comments anywhere in the case: ``# expect: SE301 14:82`` for the case
file itself, ``# expect: SE505 custom.profile.yaml:2:18`` for another file of a folder case;
``# check: --form goals`` checks the case as the 绩效目标申报表.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from selfeval_compiler import api
from selfeval_compiler.diagnostics import CATALOGUE, docs

CASES = Path(__file__).resolve().parent / "cases"

# Codes no spec can trigger (the environment, the disk, the renderer), and the test that
# shows each one instead.
COVERED_ELSEWHERE = {
    # A merge's refusals need shard build folders, not a spec: tests/test_merge.py builds them.
    "SE609": "test_merge.py::test_shards_of_another_build_or_missing_or_twice_are_refused",
    "SE610": "test_merge.py::test_shards_of_another_build_or_missing_or_twice_are_refused",
    "SE611": "test_merge.py::test_shards_of_another_build_or_missing_or_twice_are_refused",
    "SE612": "test_merge.py::test_hostile_shard_folders_are_refused",
    "SE008": "test_loading.py::test_unreadable_file",
    "SE901": "test_pdf.py::test_missing_cjk_font_refuses_with_a_clear_message",
    "SE902": "test_pdf.py::test_glyph_check_catches_boxes_even_when_fontconfig_check_passes",
    "SE903": "test_faults.py::test_template_error_is_a_diagnostic",
    "SE904": "test_faults.py::test_unwritable_output_is_a_diagnostic",
    "SE905": "test_faults.py::test_renderer_failure_fails_one_form_only",
    "SE906": "test_hostile.py::test_a_form_over_the_time_limit_fails_alone",
    "SE907": "test_hostile.py::test_a_worker_that_dies_takes_only_its_form_down",
    "SE015": "test_git_untrusted.py::test_tree_entries_that_could_escape_are_refused",
    "SE408": "test_goals_form.py::test_project_funds_that_do_not_add_up_are_reported",
    "SE507": "test_import_layouts.py::test_a_profile_outside_is_refused_and_nothing_written",
    "SE601": "test_import_hostile.py::test_zip_bomb_is_refused_before_inflating",
    "SE606": "test_summary.py::test_hostile_build_folders_are_read_safely",
    "SE607": "test_summary_once.py::test_a_unit_that_cannot_be_converted_is_left_out_and_reported",
    "SE608": "test_rollover_one_run.py::test_two_sources_never_write_the_same_file",
    "SE602": "test_import_hostile.py::test_a_text_pdf_without_a_form_and_a_page_without_tables",
    "SE603": "test_import_hostile.py::test_notes_name_the_cell_and_the_spec_carries_them",
    "SE604": "test_import_hostile.py::test_formulas_without_a_cached_value_are_named",
    "SE605": "test_import.py::test_import_never_overwrites_without_force",
    "SE711": "test_department_form.py::test_rollover_leaves_a_department_spec_where_it_is",
    "SE999": "test_cli_options.py::test_internal_error_has_its_code_and_traceback_on_request",
}

Expectation = tuple[str, str, int, int]


def case_entries() -> list[Path]:
    return docs.case_entries(CASES)


def expected(case: Path) -> list[Expectation]:
    return [(e.code, e.file, e.line, e.column) for e in docs.case_expectations(case)]


def actual(case: Path) -> list[Expectation]:
    report = api.check([case], form=docs.case_form(case))
    found = []
    for diagnostic in report.diagnostics:
        path = Path(diagnostic.location.file).resolve()
        name = (
            path.name
            if case.is_file()
            else ("." if path == case else path.relative_to(case).as_posix())
        )
        found.append((diagnostic.code, name, diagnostic.location.line, diagnostic.location.column))
    return sorted(found)


@pytest.mark.parametrize("case", case_entries(), ids=lambda p: p.name)
def test_case(case: Path) -> None:
    wanted = expected(case)
    assert wanted, f"{case.name} lists no '# expect:' line"
    assert actual(case) == wanted


def test_every_code_has_a_case_or_a_named_test() -> None:
    with_cases = {code for case in case_entries() for code, *_ in expected(case)}
    missing = set(CATALOGUE) - with_cases - set(COVERED_ELSEWHERE)
    assert not missing, f"codes without a case in tests/cases: {sorted(missing)}"
    for code, test in COVERED_ELSEWHERE.items():
        module_name, function = test.split("::")
        module = importlib.import_module(module_name.removesuffix(".py"))
        assert callable(getattr(module, function, None)), f"{code}: {test} does not exist"


def test_each_case_is_named_after_its_first_code() -> None:
    for case in case_entries():
        codes = {code for code, *_ in expected(case)}
        assert case.name[:5] in codes, case.name
