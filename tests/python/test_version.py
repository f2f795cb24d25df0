"""nvx has one version: the Rust crates, the C header's macros, the built library, the Python package and its
installed metadata all say what Cargo.toml's ``[workspace.package]`` says (scripts/version.py lists the places)."""

import importlib.metadata
import importlib.util
import os

import pytest

import nvx_ws

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IN_CHECKOUT = os.path.isfile(os.path.join(ROOT, "Cargo.toml")) and os.path.isfile(
    os.path.join(ROOT, "scripts", "version.py")
)


def _version_script():
    spec = importlib.util.spec_from_file_location("nvx_version_script", os.path.join(ROOT, "scripts", "version.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _installed_version():
    try:
        return importlib.metadata.version("nvx-ws")
    except importlib.metadata.PackageNotFoundError:
        return None


def test_package_library_and_metadata_agree():
    # Wherever the suite runs (a checkout, an installed wheel in an emulated root): the Python literal, the libnvx
    # linked into the extension and the installed distribution's metadata are one version.
    assert nvx_ws.__version__ == nvx_ws.libnvx_version()
    installed = _installed_version()
    if installed is not None:
        assert installed == nvx_ws.__version__


@pytest.mark.skipif(not IN_CHECKOUT, reason="needs the source tree (Cargo.toml, scripts/version.py)")
def test_every_copy_agrees_with_cargo_toml():
    script = _version_script()
    assert script.disagreements() == []
    version = script.version()
    assert nvx_ws.__version__ == version
    assert nvx_ws.libnvx_version() == version


@pytest.mark.skipif(not IN_CHECKOUT, reason="needs the source tree (Cargo.toml, scripts/version.py)")
def test_check_finds_a_disagreeing_copy(tmp_path, monkeypatch):
    # The check can fail: a copy of the tree with one literal changed is reported, naming the file.
    script = _version_script()
    for _what, path, _read in script.COPIES:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            target.write_text(f.read(), encoding="utf-8")
    monkeypatch.setattr(script, "ROOT", str(tmp_path))
    assert script.disagreements() == []
    literal = tmp_path / "python" / "nvx_ws" / "_version.py"
    literal.write_text('__version__ = "99.0.0"\n', encoding="utf-8")
    assert script.disagreements() == [
        "nvx_ws.__version__ (python/nvx_ws/_version.py) says 99.0.0, Cargo.toml says %s" % script.version()
    ]
