"""What an installed nvx_ws is, from inside the interpreter the platform matrix tests (printed as one JSON object).

    <venv>/bin/python scripts/matrix/facts.py [MODULE...]    # run by scripts/matrix/run.py

MODULEs are imported first (after autobahn's install: autobahn and its compiled dependencies), each import's error
reported.
The interpreter and its version, the machine, nvx_ws's version, where its extension module was imported from
(it must be the venv's site-packages: the wheel, not the source tree), the tag of the wheel that was installed
(the dist-info's WHEEL), the kernel libnvx selected, the result of a mask, a validation and four threads working at
once (threads in emulated programs are what hung elsewhere), and every shared object mapped into the process
(run.py checks that those of an interpreter from a root all come from that root or the venv), and every ELF file in
the venv's site-packages whose machine is not this interpreter's (a source build by a compiler for another
architecture would put one there).
"""

import glob
import importlib
import json
import os
import platform
import sys
import sysconfig
import threading

import nvx_ws
import nvx_ws._nvx

import_errors = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as e:  # reported below, not handled
        import_errors[name] = "%s: %s" % (type(e).__name__, e)

site = sysconfig.get_paths()["platlib"]
wheel_tags = []
for path in glob.glob(os.path.join(site, "nvx_ws-*.dist-info", "WHEEL")):
    with open(path, encoding="utf-8") as f:
        wheel_tags += [line.split(":", 1)[1].strip() for line in f if line.startswith("Tag:")]

results = []


def worker(seed):
    data = ("κόσμε %d " % seed).encode() * 4096
    key = bytes([seed, seed + 1, seed + 2, seed + 3])
    results.append(nvx_ws.is_valid(data) and nvx_ws.mask(nvx_ws.mask(data, key), key) == data)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join(timeout=120)

libraries = set()
with open("/proc/self/maps", encoding="utf-8") as f:
    for line in f:
        fields = line.split()
        if len(fields) >= 6 and ".so" in os.path.basename(fields[5]):
            libraries.add(fields[5])

# ELF e_machine of this interpreter's architecture; every ELF file in site-packages must be built for it.
MACHINES = {"x86_64": 62, "aarch64": 183}
foreign = []
for dirpath, _dirs, files in os.walk(site):
    for name in files:
        path = os.path.join(dirpath, name)
        if not (name.endswith(".so") or ".so." in name) or os.path.islink(path):
            continue
        with open(path, "rb") as f:
            head = f.read(20)
        if head[:4] == b"\x7fELF" and int.from_bytes(head[18:20], "little") != MACHINES.get(platform.machine()):
            foreign.append(os.path.relpath(path, site))

pypy = getattr(sys, "pypy_version_info", None)
print(
    json.dumps(
        {
            "implementation": sys.implementation.name,
            "python": platform.python_version(),
            "pypy": "%d.%d.%d" % pypy[:3] if pypy else None,
            "soabi": sysconfig.get_config_var("SOABI"),
            "machine": platform.machine(),
            "nvx_ws": nvx_ws.__version__,
            "module": nvx_ws._nvx.__file__,
            "from_site_packages": os.path.dirname(nvx_ws._nvx.__file__) == os.path.join(site, "nvx_ws"),
            "wheel_tags": wheel_tags,
            "kernel": nvx_ws.implementation(),
            "mask_ok": nvx_ws.mask(b"Hello", b"\x37\xfa\x21\x3d") == b"\x7f\x9fMQX",
            "validate_ok": nvx_ws.is_valid("κόσμε".encode()) and not nvx_ws.is_valid(b"\xed\xa0\x80"),
            "threads_ok": results == [True] * len(threads),
            "libraries": sorted(libraries),
            "import_errors": import_errors,
            "foreign_elf": sorted(foreign),
        }
    )
)
