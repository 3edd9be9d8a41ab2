"""selfeval: YAML specs → 财政项目支出绩效自评表 in HTML, PDF and JSON."""

__version__ = "1.0.0"
"""The one place the version is written: pyproject.toml reads it, ``selfeval --version`` prints
it, the build record keeps it, and a bureau pins it (``selfeval==1.0.0``)."""
