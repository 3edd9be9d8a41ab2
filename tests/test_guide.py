"""The clerks' guide (docs/guide/) says what the code does: its page of common errors is
generated from the catalogue and current, every ``selfeval …`` command it names exists with
the options it names, its links lead to files, and the README links it first."""

from __future__ import annotations

import difflib
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfeval_compiler.cli.app import build_app
from selfeval_compiler.diagnostics import CATALOGUE
from selfeval_compiler.diagnostics.guide import COMMON, generate

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "guide"
PAGES = sorted(GUIDE.glob("*.md"))
_FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.DOTALL)
_INLINE = re.compile(r"`(selfeval [^`]+)`")


def test_the_errors_page_is_current() -> None:
    text = generate(REPO / "tests" / "cases")
    current = (GUIDE / "errors.md").read_text(encoding="utf-8")
    if current != text:
        diff = "".join(
            difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), "docs/guide/errors.md", "generated"
            )
        )
        pytest.fail(f"docs/guide/errors.md is stale; run make docs\n{diff}")


def test_the_errors_page_names_only_live_codes_each_once() -> None:
    codes = [code for _, _, group in COMMON for code in group]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert not CATALOGUE[code].retired, code


def _commands(text: str) -> list[str]:
    """Every ``selfeval …`` command line in fenced blocks and inline code, comments cut."""
    found = [m[1] for m in _INLINE.finditer(text)]
    for block in _FENCE.findall(text):
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("selfeval ") and not line.startswith("selfeval diff HEAD ("):
                found.append(line)
    # a comment (`# …`) or a synopsis's note after two spaces is not part of the command
    return [re.split(r"\s{2,}| # ", line, maxsplit=1)[0].strip() for line in found]


def _guide_commands() -> list[str]:
    found: list[str] = []
    for page in [*PAGES, REPO / "README.md"]:
        found += _commands(page.read_text(encoding="utf-8"))
    return sorted(set(found))


def test_the_guide_names_commands() -> None:
    named = {shlex.split(c)[1] for c in _guide_commands()}
    assert {"check", "build", "serve", "diff", "new", "rollover", "completion"} <= named


@pytest.mark.parametrize("command", _guide_commands())
def test_every_command_in_the_guide_exists_with_its_options(command: str) -> None:
    words = shlex.split(command)[1:]
    while words and words[0] == "--lang":  # the global option
        words = words[2:]
    subcommand = words[0]
    result = CliRunner().invoke(build_app("en"), [subcommand, "--help"])
    assert result.exit_code == 0, f"{command}: no such command\n{result.output}"
    for word in words[1:]:
        option = word.strip("[]").split("=", 1)[0]  # a synopsis writes [--strict]
        if option.startswith("-") and not re.fullmatch(r"-\d.*", option):
            assert re.search(rf"(^|[ ,]){re.escape(option)}\b", result.output, re.MULTILINE), (
                f"{command}: {option} is not an option of selfeval {subcommand}"
            )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_lead_to_files(page: Path) -> None:
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
        if "://" not in target:
            assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_the_guide_index_links_every_page() -> None:
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    for page in PAGES:
        if page.name != "README.md":
            assert f"]({page.name})" in index, page.name


def test_the_readme_links_the_guide_first() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_link = re.search(r"\]\(([^)]+)\)", readme)
    assert first_link is not None
    assert first_link[1] == "docs/guide/README.md"
    assert readme.index("docs/guide/README.md") < readme.index("## Quick start")


WITHOUT_WEASYPRINT = """
import sys, shutil, urllib.request
from pathlib import Path
sys.modules["weasyprint"] = None  # import weasyprint now fails, as without Pango
from selfeval_compiler import api
from selfeval_compiler.preview.serve import start
root = Path(sys.argv[1])
shutil.copytree(sys.argv[2], root / "specs")
(root / "selfeval.toml").write_text("", "utf-8")
checked = api.check([root / "specs"], jobs=2, keep_forms=False)
assert checked.errors == 0, checked.diagnostics
built = api.build([root / "specs"], root / "out", formats=["html", "json", "xlsx"], jobs=2)
assert built.errors == 0 and built.built == 5, built.diagnostics
server, stop = start([root / "specs"], "127.0.0.1", 0)
base = f"http://127.0.0.1:{server.server_address[1]}"
try:
    for entry in server.workspace.entries.values():
        for path in ("/", f"/form/{entry.id}", f"/render/{entry.id}.html"):
            with urllib.request.urlopen(base + path, timeout=60) as answer:
                assert answer.status == 200, path
finally:
    stop()
# the build's own records (.selfeval-sheets/…) are not the clerk's files
out = root / "out"
files = [p for p in out.rglob("01-*") if not p.relative_to(out).parts[0].startswith(".")]
print(sorted(p.suffix for p in files))
"""


def test_what_the_windows_page_says_works_without_the_pdf_engine(tmp_path: Path) -> None:
    """windows.md: check, builds without PDF and the preview's pages never need WeasyPrint
    (nor Pango and the fonts it loads), in the main process or the workers."""
    import subprocess
    import sys

    from conftest import SEED_FOLDER

    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_WEASYPRINT, str(tmp_path), str(SEED_FOLDER.parent)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['.html', '.json', '.xlsx']"
