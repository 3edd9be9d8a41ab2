"""The policy: hierarchy and weight checks, rounding, scoring: a spec → a scored form."""
