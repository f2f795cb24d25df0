"""Assembles the nvx_ws wheel around an extension module that was compiled elsewhere (the aarch64 cross build).

    python scripts/wheels/aarch64_wheel.py --so target/wheels-aarch64/ext/_nvx.abi3.so \
        --tag cp311-abi3-manylinux_2_28_aarch64 --out dist

The wheel holds what `pip wheel .` would put in one: python/nvx_ws/*.py, py.typed, *.pyi (never the host's
_nvx.*.so lying beside them), the given module as nvx_ws/_nvx.abi3.so, and a dist-info whose METADATA and license
come from the project's own build backend (cffi_build.prepare_metadata_for_build_wheel, run from the repository
root with NVX_LIBDIR pointing at a libnvx.a, as every build needs). WHEEL says Root-Is-Purelib: false and the tag;
RECORD carries a sha256 per file. Entries are sorted and dated 1980-01-01, so the same inputs give the same bytes.
"""

import argparse
import base64
import hashlib
import os
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = os.path.join(ROOT, "python", "nvx_ws")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def package_files(so_path):
    """(archive name, source path) of every file the wheel installs into site-packages."""
    files = []
    for name in sorted(os.listdir(PACKAGE)):
        if name.endswith((".py", ".pyi")) or name == "py.typed":
            files.append(("nvx_ws/" + name, os.path.join(PACKAGE, name)))
    files.append(("nvx_ws/_nvx.abi3.so", so_path))
    return files


def metadata_files(tmpdir):
    """(archive name, source path) of the dist-info's files as the build backend writes them, and its name."""
    sys.path.insert(0, ROOT)
    import cffi_build

    cwd = os.getcwd()
    os.chdir(ROOT)  # setuptools reads pyproject.toml from the working directory
    try:
        dist_info = cffi_build.prepare_metadata_for_build_wheel(tmpdir)
    finally:
        os.chdir(cwd)
    files = []
    base = os.path.join(tmpdir, dist_info)
    for dirpath, _dirs, names in os.walk(base):
        for name in names:
            if name in ("WHEEL", "RECORD"):
                continue  # written below, for this wheel's tag
            path = os.path.join(dirpath, name)
            files.append((dist_info + "/" + os.path.relpath(path, base).replace(os.sep, "/"), path))
    return dist_info, sorted(files)


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--so", required=True, help="the compiled extension module")
    parser.add_argument("--tag", required=True, help="e.g. cp311-abi3-manylinux_2_28_aarch64")
    parser.add_argument("--out", required=True, help="directory to write the wheel into")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmpdir:
        dist_info, meta = metadata_files(tmpdir)
        name_version = dist_info[: -len(".dist-info")]
        entries = []  # (archive name, bytes, mode)
        for arcname, path in package_files(args.so) + meta:
            with open(path, "rb") as f:
                mode = 0o755 if arcname.endswith(".so") else 0o644
                entries.append((arcname, f.read(), mode))

    wheel = "Wheel-Version: 1.0\nGenerator: nvx scripts/wheels/aarch64_wheel.py\nRoot-Is-Purelib: false\nTag: %s\n"
    entries.append((dist_info + "/WHEEL", (wheel % args.tag).encode("ascii"), 0o644))
    record = [record_line(n, d) for n, d, _ in entries] + [dist_info + "/RECORD,,"]
    entries.append((dist_info + "/RECORD", ("\n".join(record) + "\n").encode("utf-8"), 0o644))

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "%s-%s.whl" % (name_version, args.tag))
    tmp = path + ".part"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as whl:
        for arcname, data, mode in entries:
            info = zipfile.ZipInfo(arcname, ZIP_DATE)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            whl.writestr(info, data)
    os.replace(tmp, path)
    print(path)


if __name__ == "__main__":
    main()
