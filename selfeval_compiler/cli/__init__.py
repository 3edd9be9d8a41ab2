"""The command line: Typer app and progress display; options → api → report → exit code."""

from selfeval_compiler.cli.app import app, main

__all__ = ["app", "main"]
