"""Makes the wheel of a cross-compiled extension from the wheel `pip wheel .` built for the host.

    python scripts/wheels/cross_wheel.py --template dist/nvx_ws-0.1.0-cp311-abi3-manylinux_2_28_x86_64.whl \
        --so target/wheels-cross/abi3-aarch64/_nvx.abi3.so --tag cp311-abi3-manylinux_2_28_aarch64 --out dist

The new wheel holds every file of the template (the package's .py, .pyi and py.typed, the dist-info's METADATA,
licenses and whatever else the build backend put there) except the template's extension module, which is replaced
by the given one (named after the template's module, with the host triple in a PyPy name swapped for the target's:
``_nvx.pypy311-pp73-x86_64-linux-gnu.so`` becomes ``_nvx.pypy311-pp73-aarch64-linux-gnu.so``). WHEEL says the new
tag, RECORD is written afresh with a sha256 per file. So the metadata is the build backend's own, whatever backend
that is, and only the platform part differs from a wheel built natively. Entries are sorted and dated 1980-01-01:
the same inputs give the same bytes. Prints the new wheel's path.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
EXTENSION = re.compile(r"^nvx_ws/_nvx\.[^/]*\.so$")
TRIPLES = {"x86_64": "x86_64-linux-gnu", "aarch64": "aarch64-linux-gnu"}


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def module_name(template_name: str, tag: str) -> str:
    """The extension's name in the new wheel: the template's, with the target's triple where it names one."""
    target_arch = "aarch64" if tag.endswith("_aarch64") else "x86_64"
    name = template_name
    for triple in TRIPLES.values():
        name = name.replace("-" + triple + ".so", "-" + TRIPLES[target_arch] + ".so")
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", required=True, help="the wheel built for the host")
    parser.add_argument("--so", required=True, help="the cross-compiled extension module")
    parser.add_argument("--tag", required=True, help="the new wheel's tag, e.g. cp311-abi3-manylinux_2_28_aarch64")
    parser.add_argument("--out", required=True, help="directory to write the wheel into")
    args = parser.parse_args()

    with zipfile.ZipFile(args.template) as template:
        names = [n for n in template.namelist() if not n.endswith("/")]
        modules = [n for n in names if EXTENSION.match(n)]
        if len(modules) != 1:
            raise SystemExit("cross_wheel.py: %s holds %d extension modules, not one" % (args.template, len(modules)))
        (dist_info,) = {n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")}
        entries = []  # (archive name, bytes, mode)
        for name in sorted(names):
            if name == modules[0] or name in (dist_info + "/WHEEL", dist_info + "/RECORD"):
                continue
            entries.append((name, template.read(name), 0o644))
        wheel_meta = template.read(dist_info + "/WHEEL").decode("utf-8")
    with open(args.so, "rb") as f:
        entries.append((module_name(modules[0], args.tag), f.read(), 0o755))
    entries.sort()

    lines = [line for line in wheel_meta.splitlines() if not line.startswith(("Tag:", "Generator:"))]
    lines.insert(1, "Generator: nvx scripts/wheels/cross_wheel.py")
    lines.append("Tag: " + args.tag)
    entries.append((dist_info + "/WHEEL", ("\n".join(lines) + "\n").encode("utf-8"), 0o644))
    record = [record_line(n, d) for n, d, _ in entries] + [dist_info + "/RECORD,,"]
    entries.append((dist_info + "/RECORD", ("\n".join(record) + "\n").encode("utf-8"), 0o644))

    name_version = dist_info[: -len(".dist-info")]
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "%s-%s.whl" % (name_version, args.tag))
    tmp = path + ".part"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as whl:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            whl.writestr(info, data)
    os.replace(tmp, path)
    print(path)


if __name__ == "__main__":
    main()
