"""Checks every artifact in a dist/ directory and writes CHECKSUMS.sha256, VALIDATION.txt and build-info.txt there.

    python scripts/wheels/verify.py dist          # run by scripts/wheels/verify.sh in .venv-wheels-tools

Every check looks at the artifact itself (nothing is read from a build log or from the build tree), and a check
that cannot run (a tool missing, a file that cannot be read) fails like a check that finds a fault. Per artifact:

- all: ``twine check --strict``.
- sdist: the files a source build needs are in it (the Rust workspace, Cargo.lock, the header, the package with its
  stubs, the build backend), the tests too (tests/python with conftest.py and its test modules: docs/wheels.md
  says the sdist carries them), and nothing built or local (target/, build/, venvs, *.so, *.pyc).
- every wheel: the tag parses; WHEEL names the same tag and ``Root-Is-Purelib: false``; RECORD lists every file
  with its right sha256 and size; the package is the source tree's python/nvx_ws (the same .py files), with
  py.typed and the _nvx.pyi stub, one extension module named for the tag (``_nvx.abi3.so``,
  ``_nvx.pypy311-pp73-<arch>-linux-gnu.so``), and nothing else (no tests, bytecode, C sources, objects).
- its extension module (an ELF file): built for the architecture the tag names; exports its init function alone
  (``PyInit__nvx`` for CPython, ``_cffi_pypyinit__nvx`` for PyPy); every other undefined symbol is versioned,
  weak or, for CPython only, the interpreter's (a PyPy module of CFFI's calls no C API at all); NEEDED only
  glibc's libraries; glibc symbol versions no newer than the manylinux tag allows; ``auditwheel show`` agrees
  with the tag and finds no ISA requirement; abi3 wheels: ``abi3audit --strict`` finds no function or symbol
  beyond the limited API of the version the tag names (cp311).
- instruction sets, on the extension's own code: x86_64 uses nothing beyond the baseline (SSE2) outside code that
  runs only after a run-time CPU check (nvx's kernels, the memchr crate's AVX2 searchers in std, compiler_builtins'
  fma); aarch64 nothing beyond Armv8.0-A (NEON is part of it) outside the outline-atomics helpers (LSE after a
  run-time check). The extension keeps its symbol table for this (scripts/wheels/zig-cc); the kernels must be
  there (so that the check cannot pass on a module without them).

Exits 1 if any check fails.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from datetime import datetime, timezone

from packaging.tags import Tag
from packaging.utils import parse_sdist_filename, parse_wheel_filename

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
TIMES = os.path.join(ROOT, "target", "wheels", "times.txt")
PACKAGE = os.path.join(ROOT, "python", "nvx_ws")
SDIST_REQUIRED = [
    "pyproject.toml",
    "cffi_build.py",
    "Cargo.toml",
    "Cargo.lock",
    "LICENSE",
    "README.md",
    "docs/python.md",
    "include/nvx.h",
    "src/lib.rs",
    "ffi/Cargo.toml",
    "ffi/src/lib.rs",
    "python/nvx_ws/__init__.py",
    "python/nvx_ws/py.typed",
    "python/nvx_ws/_nvx.pyi",
    "benches/throughput.rs",
    "tests/python/conftest.py",
    "PKG-INFO",
]
SDIST_FORBIDDEN = re.compile(r"^(target|fuzz|build|dist|\.venv[^/]*|\.git)/|\.(so|pyd|o|a|lib|pyc)$|__pycache__")
WHEEL_FORBIDDEN = re.compile(r"__pycache__|\.(pyc|c|h|o|a|lib|rs)$|(^|/)tests?/|(^|/)test_[^/]*\.py$|conftest\.py$")
# Libraries an extension may need on any manylinux platform (glibc's own and the loader).
ALLOWED_NEEDED = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1"}
ALLOWED_LOADERS = {"x86_64": "ld-linux-x86-64.so.2", "aarch64": "ld-linux-aarch64.so.1"}
ELF_MACHINES = {"x86_64": "Advanced Micro Devices X86-64", "aarch64": "AArch64"}
OBJDUMP = {"x86_64": "objdump", "aarch64": "aarch64-linux-gnu-objdump"}

# x86_64 instructions beyond the baseline (SSE2): AVX/AVX2/AVX-512 (v-prefixed, mask registers), SSE3/SSSE3/SSE4,
# POPCNT, LZCNT, BMI1/2, MOVBE. Not tzcnt: `rep bsf`, which objdump prints as tzcnt, runs as bsf on older CPUs.
X86_BEYOND_BASELINE = re.compile(
    r"\t(v[a-z0-9]+|k(mov|and|or|xor|not|test|ortest|shift)[a-z]*|pshufb|palignr|ph(add|sub)[a-z]*|pmaddubsw|"
    r"pabs[bwd]|psign[bwd]|pmulhrsw|lddqu|movddup|movs[hl]dup|h(add|sub)p[sd]|addsubp[sd]|ptest|pblend[a-z]*|"
    r"blendv?p[sd]|pmin(s[bd]|u[wd])|pmax(s[bd]|u[wd])|pcmp(eq|gt)q|packusdw|pmov[sz]x[a-z]*|pextr[bdq]|"
    r"pinsr[bdq]|round[ps][sd]|dpp[sd]|insertps|extractps|mpsadbw|phminposuw|pmuldq|pmulld|crc32[a-z]*|popcnt|"
    r"lzcnt|andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|movbe|adcx|adox)\s"
)
# Code that runs only after a run-time CPU check: nvx's kernels (dispatch.rs), the memchr crate's AVX2 searchers
# inside Rust's std (memchr picks them with is_x86_feature_detected), compiler_builtins' fma with FMA/FMA4.
X86_DISPATCHED = re.compile(
    r"^<?nvx_ws::arch::x86_64::|^<?memchr::arch::x86_64::avx2::|^compiler_builtins::math::.*::fmaf?_with_fma4?$"
)
X86_KERNELS = ["nvx_ws::arch::x86_64::avx2", "nvx_ws::arch::x86_64::avx512", "nvx_ws::arch::x86_64::sse::ssse3"]
# aarch64 instructions beyond Armv8.0-A: LSE atomics, SVE registers, dot products, CRC32, the crypto extension,
# RCpc loads.
A64_BEYOND_BASELINE = re.compile(
    r"\t(casp?[al]*[bh]?|ld(add|clr|eor|set|smax|smin|umax|umin)[al]*[bh]?|swp[al]*[bh]?|"
    r"st(add|clr|eor|set|smax|smin|umax|umin)[l]?[bh]?|[su]dot|crc32[a-z]*|aes[a-z]+|sha(1|256|512)[a-z0-9]*|"
    r"ldapr[a-z]*)\s|\t[a-z0-9.]+\s.*\b[zp][0-9]+(\.[bhsdq]|/[mz])"
)
# Rust's outline atomics (compiler_builtins): each helper takes the LSE instruction only after a run-time check.
A64_DISPATCHED = re.compile(r"^__aarch64_(cas|casp|swp|ldadd|ldclr|ldeor|ldset)(1|2|4|8|16)_(relax|acq|rel|acq_rel)$")
A64_KERNELS = ["nvx_ws::arch::aarch64::neon"]

results: list[tuple[bool, str, str, str]] = []  # (ok, artifact, check, detail)


def record(ok, artifact, check, detail=""):
    results.append((bool(ok), artifact, check, detail))
    print("%s %s: %s%s" % ("PASS" if ok else "FAIL", artifact, check, (": " + detail) if detail else ""))


def run(cmd, **kw):
    """(exit status, stdout + stderr); status 127 and the error when the program cannot be started."""
    env = dict(os.environ, NO_COLOR="1", TERM="dumb")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)
    except OSError as e:
        return 127, "cannot run %s: %s" % (cmd[0], e)
    return p.returncode, re.sub(r"\x1b\[[0-9;]*m", "", p.stdout + p.stderr)


def tool(name):
    return os.path.join(BIN, name)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def check_sdist(path):
    name = os.path.basename(path)
    parse_sdist_filename(name)
    with tarfile.open(path) as tar:
        members = [m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name and m.isfile()]
    missing = [f for f in SDIST_REQUIRED if f not in members]
    record(
        not missing,
        name,
        "sdist carries the source build's files",
        "missing " + ", ".join(missing)
        if missing
        else "%d files: Rust workspace, Cargo.lock, header, package and stubs, backend" % len(members),
    )
    tests = sorted(m for m in members if re.match(r"tests/python/test_\w+\.py$", m))
    in_tree = sorted(
        "tests/python/" + f for f in os.listdir(os.path.join(ROOT, "tests", "python")) if re.match(r"test_\w+\.py$", f)
    )
    record(
        tests == in_tree and "tests/python/conftest.py" in members,
        name,
        "sdist carries the Python tests (tests/python: conftest.py and every test module of the source tree)",
        "%d test modules" % len(tests)
        if tests == in_tree
        else "missing: %s" % " ".join(sorted(set(in_tree) - set(tests))),
    )
    bad = [m for m in members if SDIST_FORBIDDEN.search(m)]
    record(not bad, name, "sdist carries nothing built or local", ", ".join(bad[:10]))


def module_name_for(tag: Tag, arch: str) -> str:
    if tag.abi == "abi3":
        return "_nvx.abi3.so"
    if tag.interpreter.startswith("pp"):
        m = re.fullmatch(r"pypy(\d+)_pp(\d+)", tag.abi)
        return "_nvx.pypy%s-pp%s-%s-linux-gnu.so" % (m.group(1), m.group(2), arch) if m else "?"
    return "_nvx.cpython-%s-%s-linux-gnu.so" % (tag.abi[2:], arch)


def check_record(name, z, dist_info):
    """RECORD lists every file of the wheel (but itself) with its sha256 and size."""
    rows = list(csv.reader(io.StringIO(z.read(dist_info + "/RECORD").decode("utf-8"))))
    listed = {r[0]: r for r in rows if r}
    wrong = []
    for member in z.namelist():
        if member.endswith("/") or member == dist_info + "/RECORD":
            continue
        data = z.read(member)
        digest = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        row = listed.pop(member, None)
        if row is None or row[1] != digest or row[2] != str(len(data)):
            wrong.append(member)
    listed.pop(dist_info + "/RECORD", None)
    wrong += ["%s (listed, absent)" % m for m in listed]
    record(not wrong, name, "RECORD: every file with its sha256 and size", " ".join(wrong[:5]))


def check_contents(name, z, tag, arch):
    names = [n for n in z.namelist() if not n.endswith("/")]
    (dist_info,) = {n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")} or {"?"}
    wheel_meta = z.read(dist_info + "/WHEEL").decode("utf-8")
    tags = re.findall(r"^Tag: (\S+)$", wheel_meta, re.M)
    record(
        tags == [str(tag)] and "Root-Is-Purelib: false" in wheel_meta,
        name,
        "WHEEL names the file's tag, Root-Is-Purelib: false",
        " ".join(tags),
    )
    check_record(name, z, dist_info)
    package = sorted(n for n in names if n.startswith("nvx_ws/"))
    sources = sorted("nvx_ws/" + f for f in os.listdir(PACKAGE) if f.endswith(".py"))
    module = "nvx_ws/" + module_name_for(tag, arch)
    expected = sorted(sources + ["nvx_ws/py.typed", "nvx_ws/_nvx.pyi", module])
    others = [n for n in names if not n.startswith(("nvx_ws/", dist_info + "/"))]
    record(
        package == expected and not others,
        name,
        "holds python/nvx_ws's modules, py.typed, the _nvx.pyi stub and %s, nothing else" % module,
        "unexpected: %s; missing: %s"
        % (
            " ".join(sorted(set(package + others) - set(expected))) or "-",
            " ".join(sorted(set(expected) - set(package))) or "-",
        )
        if package != expected or others
        else "%d files in nvx_ws/" % len(package),
    )
    bad = [n for n in names if WHEEL_FORBIDDEN.search(n)]
    record(not bad, name, "no tests, bytecode, C sources or objects", " ".join(bad[:5]))
    return module if module in names else None


def symbols(so):
    """(exported, undefined unversioned strong, versions) of the module's dynamic symbols."""
    rc, out = run(["readelf", "--dyn-syms", "-W", so])
    if rc:
        return None
    exported, loose, versions = [], [], set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 8 or not f[0].rstrip(":").isdigit():
            continue
        bind, ndx, sym = f[4], f[6], f[7]
        base = sym.split("@")[0]
        m = re.search(r"@GLIBC_([0-9.]+)", sym)
        if m:
            versions.add(tuple(int(x) for x in m.group(1).split(".")))
        if ndx != "UND" and bind in ("GLOBAL", "WEAK") and f[3] != "SECTION" and base:
            exported.append(base)
        elif ndx == "UND" and bind == "GLOBAL" and "@" not in sym and base:
            loose.append(base)
    return exported, loose, versions


def check_elf(name, so, tag, arch, claimed_glibc):
    rc, head = run(["readelf", "-h", so])
    machine = re.search(r"Machine:\s+(.*)", head)
    record(
        rc == 0 and machine is not None and machine.group(1).strip() == ELF_MACHINES[arch],
        name,
        "extension built for %s" % arch,
        machine.group(1).strip() if machine else head.strip()[-200:],
    )
    syms = symbols(so)
    if syms is None:
        record(False, name, "dynamic symbols", "readelf --dyn-syms failed")
        return
    exported, loose, versions = syms
    pypy = tag.interpreter.startswith("pp")
    init = "_cffi_pypyinit__nvx" if pypy else "PyInit__nvx"
    record(exported == [init], name, "exports %s alone" % init, " ".join(exported))
    if pypy:
        api = [s for s in loose if s.startswith(("Py", "_Py"))]
        loose = [s for s in loose if s not in api]
        record(not api, name, "calls no C API (a CFFI module on PyPy)", " ".join(api[:10]))
    else:
        loose = [s for s in loose if not s.startswith(("Py", "_Py"))]
    record(not loose, name, "undefined symbols versioned, weak or the interpreter's", " ".join(loose[:10]))
    newest = max(versions) if versions else None
    if claimed_glibc:
        record(
            newest is None or newest <= claimed_glibc,
            name,
            "glibc symbol versions <= %d.%d" % claimed_glibc,
            "newest GLIBC_%s" % ".".join(map(str, newest)) if newest else "none",
        )
    rc, dyn = run(["readelf", "-d", so])
    needed = re.findall(r"\(NEEDED\).*\[(.*)\]", dyn)
    extra = [n for n in needed if n not in ALLOWED_NEEDED | {ALLOWED_LOADERS[arch]}]
    record(rc == 0 and not extra, name, "NEEDED only glibc's libraries", " ".join(needed))


def check_isa(name, so, arch):
    """Instructions beyond the architecture's baseline only in run-time-dispatched functions, which must exist."""
    beyond, dispatched, kernels = {
        "x86_64": (X86_BEYOND_BASELINE, X86_DISPATCHED, X86_KERNELS),
        "aarch64": (A64_BEYOND_BASELINE, A64_DISPATCHED, A64_KERNELS),
    }[arch]
    objdump = OBJDUMP[arch]
    check = "instructions beyond the %s baseline only in run-time-dispatched code" % arch
    if not shutil.which(objdump):
        record(False, name, check, "%s not found: cannot disassemble" % objdump)
        return
    rc, out = run([objdump, "-d", "--no-show-raw-insn", "-C", so])
    functions = re.findall(r"^[0-9a-f]+ <(.*)>:$", out, re.M)
    if rc or len(functions) < 50:
        record(False, name, check, "no symbol table to tell functions apart (%d named)" % len(functions))
        return
    counts: dict[str, int] = {}
    fn = None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m:
            fn = m.group(1)
        elif fn and beyond.search(line):
            counts[fn] = counts.get(fn, 0) + 1
    outside = sorted(f for f in counts if not dispatched.search(f))
    absent = [k for k in kernels if not any(f.startswith((k + "::", "<" + k + "::")) for f in functions)]
    record(
        not outside and not absent,
        name,
        check,
        ("outside: " + "; ".join(outside[:5]) + " " if outside else "")
        + ("kernels missing: " + ", ".join(absent) if absent else "")
        or "%d functions use them, all dispatched; kernels present: %s" % (len(counts), ", ".join(kernels)),
    )


def check_wheel(path):
    name = os.path.basename(path)
    _, _, _, tags = parse_wheel_filename(name)
    if len(tags) != 1:
        record(False, name, "one tag", " ".join(sorted(map(str, tags))))
        return
    (tag,) = tags
    m = re.match(r"(many)?linux_(?:(\d+)_(\d+)_)?(x86_64|aarch64)$", tag.platform)
    if not m:
        record(False, name, "a Linux x86_64 or aarch64 tag", tag.platform)
        return
    arch = m.group(4)
    claimed = (int(m.group(2)), int(m.group(3))) if m.group(1) else None
    record(claimed is not None, name, "manylinux tag", str(tag))
    tmp = tempfile.mkdtemp()
    with zipfile.ZipFile(path) as z:
        module = check_contents(name, z, tag, arch)
        if module:
            z.extract(module, tmp)
    if not module:
        return
    so = os.path.join(tmp, module)
    check_elf(name, so, tag, arch, claimed)
    check_isa(name, so, arch)
    if claimed:
        rc, out = run([tool("auditwheel"), "show", "--json", path])
        try:
            info = json.loads(out[out.index("{") :])
        except ValueError:
            record(False, name, "auditwheel show", out.strip()[-300:])
        else:
            overall = info.get("overall_tag", "")
            om = re.match(r"manylinux_(\d+)_(\d+)_", overall)
            ok = om is not None and (int(om.group(1)), int(om.group(2))) <= claimed
            external = ", ".join(info.get("external_libs") or {})
            record(
                ok and not external,
                name,
                "auditwheel show",
                "consistent with %s (file name: %s); external libs: %s" % (overall, tag.platform, external or "none"),
            )
            record(not info.get("unsupported_isa"), name, "auditwheel ISA extension check", "no ISA requirement noted")
    if tag.abi == "abi3":
        rc, out = run([tool("abi3audit"), "--strict", "--summary", path])
        summary = " ".join(out.split())
        summary = summary[summary.find(name) :] if name in summary else summary
        record(rc == 0, name, "abi3audit --strict (limited API of %s)" % tag.interpreter, summary[-200:])
    shutil.rmtree(tmp)


def versions():
    out = []

    def cmd(label, argv):
        rc, text = run(argv)
        out.append("%-12s %s" % (label, text.strip().splitlines()[0] if text.strip() else "?"))

    cmd("rustc", ["rustc", "--version"])
    cmd("cargo", ["cargo", "--version"])
    cmd("rustc arm64", ["/usr/bin/rustc", "--version"])
    cmd("zig", [sys.executable, "-m", "ziglang", "version"])
    for mod in ("cffi", "setuptools", "hatchling", "wheel", "auditwheel", "abi3audit", "twine", "build", "packaging"):
        rc, text = run([sys.executable, "-c", "import importlib.metadata as m; print(m.version(%r))" % mod])
        out.append("%-12s %s" % (mod, text.strip().splitlines()[-1] if rc == 0 else "not installed"))
    out.append("%-12s %s (tools venv: abi3 wheels)" % ("python", sys.version.split()[0]))
    pypy = os.path.join(ROOT, ".venv-wheels-pp311", "bin", "python")
    if os.path.exists(pypy):
        rc, text = run([pypy, "-c", "import sys; print(sys.version.replace(chr(10), ' '))"])
        out.append("%-12s %s (pp311 wheels)" % ("pypy", text.strip()))
    return out


def main():
    dist = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "dist"))
    artifacts = sorted(f for f in os.listdir(dist) if f.endswith((".whl", ".tar.gz")))
    if not artifacts:
        record(False, dist, "artifacts", "none")
    paths = [os.path.join(dist, f) for f in artifacts]
    for path in paths:
        rc, out = run([tool("twine"), "check", "--strict", path])
        record(rc == 0, os.path.basename(path), "twine check --strict", " ".join(out.split())[-120:])
        if path.endswith(".tar.gz"):
            check_sdist(path)
        else:
            check_wheel(path)
    times = []
    if os.path.exists(TIMES):
        with open(TIMES, encoding="utf-8") as f:
            times = [line.rstrip("\n").split("\t") for line in f if "\t" in line]

    failed = [r for r in results if not r[0]]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    with open(os.path.join(dist, "CHECKSUMS.sha256"), "w", encoding="utf-8") as f:
        for path in paths:
            f.write("%s  %s\n" % (sha256(path), os.path.basename(path)))
    with open(os.path.join(dist, "VALIDATION.txt"), "w", encoding="utf-8") as f:
        f.write("nvx-ws artifact validation, %s (scripts/wheels/verify.py)\n" % now)
        f.write("%d checks, %d failed\n\n" % (len(results), len(failed)))
        for ok, artifact, check, detail in results:
            f.write("%s %s: %s%s\n" % ("PASS" if ok else "FAIL", artifact, check, (": " + detail) if detail else ""))
    rc, commit = run(["git", "-C", ROOT, "rev-parse", "HEAD"])
    rc, dirty = run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
    with open(os.path.join(dist, "build-info.txt"), "w", encoding="utf-8") as f:
        f.write("nvx-ws build info, %s\n\n" % now)
        f.write("git commit   %s%s\n" % (commit.strip(), " (with uncommitted changes)" if dirty.strip() else ""))
        f.write("host         %s %s, %s\n" % (platform.system(), platform.machine(), " ".join(platform.libc_ver())))
        f.write("\n".join(versions()) + "\n\nartifacts (tag, bytes, sha256):\n")
        for path in paths:
            name = os.path.basename(path)
            tag = "sdist" if name.endswith(".tar.gz") else "-".join(name[:-4].split("-")[2:])
            f.write("  %s\n    %s  %d  %s\n" % (name, tag, os.path.getsize(path), sha256(path)))
        if times:
            f.write("\nbuild times (scripts/wheels/build.sh, seconds):\n")
            for step, secs in times:
                f.write("  %5s  %s\n" % (secs, step))
    print(
        "verify: %d checks, %d failed; wrote CHECKSUMS.sha256, VALIDATION.txt, build-info.txt in %s"
        % (len(results), len(failed), dist)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
