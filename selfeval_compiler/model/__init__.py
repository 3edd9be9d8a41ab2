"""What a spec means: frozen records, ``_defaults.yaml`` merged in, profiles, measured values."""
