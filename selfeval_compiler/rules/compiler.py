"""One spec through the front half of the pipeline: load → validate → model → derive."""

from __future__ import annotations

from dataclasses import dataclass, field

from selfeval_compiler.diagnostics import Diagnostic, Location, Severity, internal, make
from selfeval_compiler.model.amounts import read_written_amounts
from selfeval_compiler.model.defaults import DefaultsCache, form_of
from selfeval_compiler.model.goals import GoalsSpec, build_goals_spec
from selfeval_compiler.model.profiles import ProfileCache
from selfeval_compiler.model.spec import build_spec
from selfeval_compiler.rules.funds_texts import check_funds_texts
from selfeval_compiler.rules.goals import GoalsForm, check_goals
from selfeval_compiler.rules.layout_fit import check_layout_fit
from selfeval_compiler.rules.scoring import ScoredForm, score_form
from selfeval_compiler.rules.structure import check_hierarchy, check_limits, check_weights
from selfeval_compiler.sources import glyphs
from selfeval_compiler.sources.discovery import SpecFile
from selfeval_compiler.sources.project import inside
from selfeval_compiler.sources.schema import validate
from selfeval_compiler.sources.yaml_loader import Document, load_file

FORMS = ("self-evaluation", "goals")
"""The forms one spec prints: the 自评表 and the 绩效目标申报表. Which one a command prints
is the spec's stage (:func:`~selfeval_compiler.model.defaults.form_of`) unless the command is
told a form (``--form``)."""


@dataclass
class CompiledSpec:
    spec_file: SpecFile
    form: ScoredForm | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    project: tuple[int, str, str] | None = None
    """年度, 实施单位, 项目名称, kept when the form itself is dropped (duplicate checks)."""
    goals: GoalsForm | None = None
    """The 绩效目标申报表, when compiled for ``--form goals`` (``form`` is then None)."""

    @property
    def printed(self) -> ScoredForm | GoalsForm | None:
        """Whichever form was compiled."""
        return self.form if self.form is not None else self.goals

    @property
    def has_errors(self) -> bool:
        """Every path that leaves no form reports an error, so the form may be dropped."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


class Compiler:
    """Compiles specs, loading each defaults file and profile once however many specs share it."""

    def __init__(self, form: str | None = None) -> None:
        """``form``: print every spec as this form; ``None``: as its stage says."""
        self.profiles = ProfileCache()
        self.defaults = DefaultsCache()
        self.form = form

    def compile(self, spec_file: SpecFile) -> CompiledSpec:
        """One spec through load → validate → model → derive. Whatever goes wrong inside
        selfeval with this spec is SE999 on it; the other specs go on."""
        try:
            return self._compile(spec_file)
        except (Exception, RecursionError) as error:
            return CompiledSpec(spec_file, None, [internal(Location(spec_file.display), error)])

    def _compile(self, spec_file: SpecFile) -> CompiledSpec:
        root = spec_file.root
        if root is not None and not inside(spec_file.path, root):
            where = Location(spec_file.display, 1, 1)
            outside = make("SE016", where, path=spec_file.display, root=str(root))
            return CompiledSpec(spec_file, None, [outside])
        document, problems = load_file(spec_file.path, spec_file.display)
        if document is None:
            return CompiledSpec(spec_file, None, problems)
        compiled = self._compile_document(spec_file, document)
        unprintable = glyphs.unprintable(document)
        if unprintable:  # the form is left unbuilt with the rest of its findings reported
            found = compiled.diagnostics + unprintable
            compiled.diagnostics = sorted(found, key=lambda d: d.sort_key)
        return compiled

    def _compile_document(self, spec_file: SpecFile, document: Document) -> CompiledSpec:
        """validate → model → derive, for a spec that loaded."""
        root = spec_file.root
        read_written_amounts(document)
        defaults, defaults_problems = self.defaults.for_spec(spec_file.path, root)
        goals = (self.form or form_of(document, defaults)) == "goals"
        diagnostics = validate(document, "goals.schema.json" if goals else "selfeval.schema.json")
        diagnostics.extend(defaults_problems)
        if diagnostics:
            return CompiledSpec(spec_file, None, diagnostics)
        build = build_goals_spec if goals else build_spec
        spec, problems = build(document, spec_file.path, defaults)
        if spec is None:
            return CompiledSpec(spec_file, None, problems)
        profile, problems = self.profiles.get(
            spec.profile, spec.profile_base, spec.profile_location, root
        )
        if profile is None:
            return CompiledSpec(spec_file, None, problems)
        if isinstance(spec, GoalsSpec):
            goals_form = GoalsForm(spec, profile)
            return CompiledSpec(spec_file, None, check_goals(goals_form), goals=goals_form)
        too_many = check_limits(spec)
        if too_many:
            return CompiledSpec(spec_file, None, too_many)
        diagnostics = check_hierarchy(spec, profile) + check_weights(spec, profile)
        diagnostics += check_layout_fit(spec, profile)
        diagnostics += check_funds_texts(spec, profile)
        form, problems = score_form(spec, profile)
        diagnostics.extend(problems)
        return CompiledSpec(spec_file, form, sorted(diagnostics, key=lambda d: d.sort_key))


def compile_batch(
    spec_files: list[SpecFile], keep_forms: bool = True, form: str | None = None
) -> list[CompiledSpec]:
    """Compile specs in order with one shared :class:`Compiler` (a worker's unit of work)."""
    compiler = Compiler(form)
    results = []
    for spec_file in spec_files:
        compiled = compiler.compile(spec_file)
        printed = compiled.printed
        if printed is not None:
            spec = printed.spec
            compiled.project = (spec.year, spec.unit, spec.project)
        if not keep_forms:
            compiled.form = compiled.goals = None
        results.append(compiled)
    return results
