"""Diagnostics: one record for every finding, the catalogue of stable codes (a data file),
their output formats, and the generator of docs/diagnostics.md."""

from selfeval_compiler.diagnostics.catalogue import (
    CATALOGUE,
    CodeInfo,
    Kind,
    Listing,
    Phrase,
    internal,
    listing,
    lookup,
    make,
    phrase,
)
from selfeval_compiler.diagnostics.record import (
    Diagnostic,
    DiagnosticError,
    Language,
    Location,
    Severity,
)

__all__ = [
    "CATALOGUE",
    "CodeInfo",
    "Diagnostic",
    "DiagnosticError",
    "Kind",
    "Language",
    "Listing",
    "Location",
    "Phrase",
    "Severity",
    "internal",
    "listing",
    "lookup",
    "make",
    "phrase",
]
