"""Diagnostics: one record for every finding, the catalogue of stable codes, and their formats."""

from selfeval_compiler.diagnostics.catalogue import (
    CATALOGUE,
    CodeInfo,
    Diagnostic,
    DiagnosticError,
    Location,
    Severity,
    has_errors,
    make,
)

__all__ = [
    "CATALOGUE",
    "CodeInfo",
    "Diagnostic",
    "DiagnosticError",
    "Location",
    "Severity",
    "has_errors",
    "make",
]
