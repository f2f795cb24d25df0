"""The hatchling build hook of nvx-ws: libnvx by cargo, then the CFFI extension ``nvx_ws._nvx`` linked against it.

hatchling (pyproject.toml) builds the sdist and the wheel; this hook adds what a CFFI package over a Rust library
needs, with cffi_build.py's own functions (``build_libnvx``, ``make_ffi``, ``build_in_place``), so that every way
of building uses one recipe:

- every target: python/nvx_ws/_version.py must say the version hatchling read from Cargo.toml, or the build stops
  (``just set-version`` writes both; docs/development.md, "One version");
- wheel: ``cargo build --locked --release -p nvx-ws-ffi`` (unless ``NVX_LIBDIR`` names a libnvx built elsewhere),
  the extension compiled in a fresh directory and added as ``nvx_ws/_nvx.<suffix>``; tag ``cp311-abi3-<platform>``
  where it is built against the limited API (CPython 3.11 and later, unless ``NVX_LIMITED_API=0``), else the
  interpreter's own tag (PyPy: ``pp311-pypy311_pp73-<platform>``). Either step failing fails the build, loudly:
  there is no pure-Python nvx_ws;
- editable wheel (``pip install -e .``): the extension built in place, ``python/nvx_ws/_nvx.<cache tag>.so``
  (version-specific, so that several interpreters' modules sit side by side), which the editable install imports
  from python/ as it is;
- sdist: nothing to build (the sdist carries the Rust sources, and building a wheel from it runs cargo).

The environment variables cffi_build.py documents (``NVX_LIBDIR``, ``NVX_CARGO``, ``NVX_CARGO_TARGET``,
``NVX_LIMITED_API``, ``NVX_NATIVE_STATIC_LIBS``) and ``CC``/``LDSHARED`` apply as they always did.
"""

import os
import re
import shutil
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

VERSION_FILE = os.path.join("python", "nvx_ws", "_version.py")


def _platform_tag() -> str:
    """The platform part of the tag hatchling would infer (the plain ``linux_<arch>``: auditwheel retags it)."""
    from packaging.tags import sys_tags

    tag = next(t for t in sys_tags() if "manylinux" not in t.platform and "musllinux" not in t.platform)
    if sys.platform == "darwin":
        from hatchling.builders.macos import process_macos_plat_tag

        return process_macos_plat_tag(tag.platform, compat=False)
    return tag.platform


class NvxBuildHook(BuildHookInterface):
    """Builds libnvx and ``nvx_ws._nvx`` into the wheel (see the module docstring)."""

    PLUGIN_NAME = "custom"

    def _check_version(self) -> None:
        path = os.path.join(self.root, VERSION_FILE)
        with open(path, encoding="utf-8") as f:
            match = re.search(r'^__version__ = "([^"]+)"$', f.read(), re.M)
        literal = match.group(1) if match else None
        if literal != self.metadata.version:
            raise SystemExit(
                "hatch_build.py: %s says %s, Cargo.toml's [workspace.package] says %s: run `just set-version %s` "
                "(or python3 scripts/version.py set %s)"
                % (VERSION_FILE, literal, self.metadata.version, self.metadata.version, self.metadata.version)
            )

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._check_version()
        if self.target_name != "wheel":
            return
        sys.path.insert(0, self.root)
        try:
            import cffi_build
        finally:
            sys.path.remove(self.root)
        build_data["pure_python"] = False
        if version == "editable":
            cffi_build.build_in_place()
            build_data["infer_tag"] = True
            return
        cffi_build.build_libnvx()
        limited_api = cffi_build.limited_api_default()
        os.makedirs(os.path.join(self.root, "build"), exist_ok=True)
        self._tmpdir = tempfile.mkdtemp(prefix="wheel-", dir=os.path.join(self.root, "build"))
        built = cffi_build.make_ffi(limited_api=limited_api).compile(tmpdir=self._tmpdir, verbose=False)
        name = os.path.basename(built)
        if not name.startswith("_nvx.") or not os.path.isfile(built):
            raise SystemExit("hatch_build.py: the CFFI build gave %r, not the extension module _nvx" % built)
        build_data["force_include"][built] = "nvx_ws/" + name
        if limited_api:
            build_data["tag"] = "%s-abi3-%s" % (cffi_build.LIMITED_API_TAG, _platform_tag())
        else:
            build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmpdir = getattr(self, "_tmpdir", None)
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
