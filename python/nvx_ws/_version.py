"""The version of nvx_ws: nvx's one version, whose source is ``version`` under ``[workspace.package]`` in Cargo.toml.

A literal, so that Python reads it without building anything. ``just set-version X.Y.Z`` writes it with every other
copy; the build refuses to make a wheel when it disagrees with Cargo.toml, and tests/python/test_version.py checks it
beside the header, the built library and the installed metadata (docs/development.md, "One version").
"""

__version__ = "0.1.0"
