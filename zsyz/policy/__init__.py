"""The policy language: TOML files and presets read into `domain.policy` values, with
key-path errors; may not import store, io, app or cli."""
