"""Writing specs for people: the ``new`` skeleton and next year's ``rollover``."""
