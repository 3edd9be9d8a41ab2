"""selfeval: YAML specs → 财政项目支出绩效自评表 in HTML, PDF and JSON."""

__version__ = "0.1.0"
