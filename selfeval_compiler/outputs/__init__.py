"""Output formats reading the presentation model (a registry), bundles, output paths, writing."""
