"""nvx's one version: where it is written, and every place that must agree with it.

    python3 scripts/version.py              # prints the version (Cargo.toml's [workspace.package] version)
    python3 scripts/version.py check        # every copy agrees with it, or a list of those that do not (exit 1)
    python3 scripts/version.py set 0.2.0    # writes the new version into the source and every literal copy

The source is ``version`` under ``[workspace.package]`` in Cargo.toml. Derived from it without a copy: both
crates' versions (``version.workspace = true``), ``CARGO_PKG_VERSION`` and so ``nvx_version()``, and the Python
package's metadata (hatchling reads Cargo.toml: pyproject.toml ``[tool.hatch.version]``). Copies that must be
literals, because the tool reading them cannot evaluate anything: the ``NVX_VERSION_*`` constants in
ffi/src/version.rs (cbindgen copies them into include/nvx.h as macros; a compile-time assert ties them to
Cargo.toml), the macros in include/nvx.h themselves (committed; CI regenerates and diffs it), python/nvx_ws/_version.py
(read by Python without building anything) and the two workspace entries of Cargo.lock. ``set`` rewrites all of
them; tests/python/test_version.py runs ``check`` and compares the built library and the installed metadata too.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = "Cargo.toml"
WORKSPACE_VERSION = re.compile(r'(?ms)^\[workspace\.package\]\s*$.*?^version\s*=\s*"(?P<version>[^"]+)"')
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
PARTS = ("MAJOR", "MINOR", "PATCH")


def _read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def _write(path, text):
    with open(os.path.join(ROOT, path), "w", encoding="utf-8") as f:
        f.write(text)


def version():
    """The version, as Cargo.toml's ``[workspace.package]`` says it."""
    match = WORKSPACE_VERSION.search(_read(SOURCE))
    if not match:
        raise SystemExit("version.py: no version under [workspace.package] in Cargo.toml")
    return match.group("version")


def _rust_constants(text):
    values = [re.search(r"pub const NVX_VERSION_%s: u32 = (\d+);" % part, text) for part in PARTS]
    return ".".join(m.group(1) if m else "?" for m in values)


def _header_macros(text):
    values = [re.search(r"^#define NVX_VERSION_%s (\d+)$" % part, text, re.M) for part in PARTS]
    return ".".join(m.group(1) if m else "?" for m in values)


def _python_literal(text):
    m = re.search(r'^__version__ = "([^"]+)"$', text, re.M)
    return m.group(1) if m else "?"


def _lock_entry(text, crate):
    m = re.search(r'^\[\[package\]\]\nname = "%s"\nversion = "([^"]+)"$' % re.escape(crate), text, re.M)
    return m.group(1) if m else "?"


def _inherits(text):
    """``version.workspace = true`` in a crate's [package], or what it says instead."""
    if re.search(r"^version\.workspace\s*=\s*true$", text, re.M):
        return version()
    m = re.search(r'^version\s*=\s*"([^"]+)"$', text, re.M)
    return m.group(1) if m else "?"


# (what, file, how the version is read from it)
COPIES = (
    ("crate nvx-ws", "Cargo.toml", _inherits),
    ("crate nvx-ws-ffi", "ffi/Cargo.toml", _inherits),
    ("NVX_VERSION_* constants", "ffi/src/version.rs", _rust_constants),
    ("NVX_VERSION_* macros", "include/nvx.h", _header_macros),
    ("nvx_ws.__version__", "python/nvx_ws/_version.py", _python_literal),
    ("Cargo.lock nvx-ws", "Cargo.lock", lambda text: _lock_entry(text, "nvx-ws")),
    ("Cargo.lock nvx-ws-ffi", "Cargo.lock", lambda text: _lock_entry(text, "nvx-ws-ffi")),
)


def copies():
    """[(what, file, version found there)] for every place that must agree with :func:`version`."""
    return [(what, path, read(_read(path))) for what, path, read in COPIES]


def disagreements():
    """The copies that do not say :func:`version`, as readable lines (empty: all agree)."""
    want = version()
    return ["%s (%s) says %s, Cargo.toml says %s" % (w, p, got, want) for w, p, got in copies() if got != want]


def set_version(new):
    """Writes ``new`` into Cargo.toml and every literal copy."""
    m = SEMVER.match(new)
    if not m:
        raise SystemExit("version.py: %r is not MAJOR.MINOR.PATCH" % new)
    major, minor, patch = m.groups()
    old = version()
    text = _read(SOURCE)
    match = WORKSPACE_VERSION.search(text)
    if match is None:
        raise SystemExit("version.py: no version under [workspace.package] in Cargo.toml")
    _write(SOURCE, text[: match.start("version")] + new + text[match.end("version") :])
    rust = _read("ffi/src/version.rs")
    header = _read("include/nvx.h")
    for part, value in zip(PARTS, (major, minor, patch), strict=True):
        rust = re.sub(r"(pub const NVX_VERSION_%s: u32 = )\d+;" % part, r"\g<1>%s;" % value, rust)
        header = re.sub(r"^(#define NVX_VERSION_%s )\d+$" % part, r"\g<1>%s" % value, header, flags=re.M)
    _write("ffi/src/version.rs", rust)
    _write("include/nvx.h", header)
    _write(
        "python/nvx_ws/_version.py",
        re.sub(r'(?m)^__version__ = "[^"]+"$', '__version__ = "%s"' % new, _read("python/nvx_ws/_version.py")),
    )
    lock = _read("Cargo.lock")
    for crate in ("nvx-ws", "nvx-ws-ffi"):
        lock = re.sub(
            r'(?m)^(\[\[package\]\]\nname = "%s"\nversion = ")[^"]+"$' % re.escape(crate), r'\g<1>%s"' % new, lock
        )
    _write("Cargo.lock", lock)
    print("version: %s -> %s" % (old, new))


def main(argv):
    if not argv:
        print(version())
        return 0
    if argv[0] == "check" and len(argv) == 1:
        bad = disagreements()
        for line in bad:
            print("version.py: " + line, file=sys.stderr)
        if not bad:
            print("version %s: %s" % (version(), ", ".join(what for what, _p, _v in copies())))
        return 1 if bad else 0
    if argv[0] == "set" and len(argv) == 2:
        set_version(argv[1])
        bad = disagreements()
        for line in bad:
            print("version.py: " + line, file=sys.stderr)
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
