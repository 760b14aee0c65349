"""The built-in policy files (TOML data, no code)."""
