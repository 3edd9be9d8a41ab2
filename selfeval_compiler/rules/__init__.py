"""The policy: hierarchy and weight checks, rounding, scoring; a spec and profile → a scored form."""
