"""Jornada's own dbt-score rules (loaded through `rule_namespaces` in conventions/pyproject.toml)."""
