"""Building many forms: what is stale, the build record, worker processes."""
