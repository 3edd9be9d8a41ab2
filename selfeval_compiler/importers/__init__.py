"""Writing specs for people: the ``selfeval new`` skeleton (and, later, imported forms)."""
