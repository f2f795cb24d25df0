"""Checks every artifact in a dist/ directory and writes CHECKSUMS.sha256, VALIDATION.txt and build-info.txt there.

    python scripts/wheels/verify.py dist          # run by scripts/wheels/verify.sh in .venv-wheels-tools

Per artifact: `twine check --strict`. The sdist: the files a source build needs are in it, nothing built or local
is (target/, fuzz/, venvs, *.so). Every wheel: its tags parse; its extension module is the one file of its kind
and is named for the tag (`_nvx.abi3.so` for abi3). Linux wheels: `auditwheel show` (JSON) reports a platform at
least as old as the one the file name claims and no unsupported ISA extension; the extension's symbol versions
need no glibc newer than that; it exports its init function alone; every other undefined symbol is versioned, weak,
or the interpreter's (Py*/_Py*). abi3 wheels: `abi3audit --strict`. x86_64: the libnvx.a the wheels link
(target/release) uses instructions beyond the x86_64 baseline (SSE2) only in run-time-dispatched code: nvx's
kernels, the memchr crate's AVX2 searchers in std, compiler_builtins' fma (objdump). The tests build.sh ran
are listed from its log of times.
Exits 1 if any check fails.
"""

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from datetime import datetime, timezone

from packaging.utils import parse_sdist_filename, parse_wheel_filename

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
TIMES = os.path.join(ROOT, "target", "wheels", "times.txt")
INIT_SYMBOLS = {"PyInit__nvx", "_cffi_pypyinit__nvx"}
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
    "benches/throughput.rs",
    "PKG-INFO",
]
SDIST_FORBIDDEN = re.compile(r"^(target|fuzz|build|dist|\.venv[^/]*|\.git)/|\.(so|pyd|o|a|lib|pyc)$|__pycache__")
# Instructions beyond x86-64 baseline (SSE2): AVX/AVX2/AVX-512 (v-prefixed, mask registers), SSE3/SSSE3/SSE4,
# POPCNT, LZCNT, BMI1/2, MOVBE. Not tzcnt: `rep bsf`, which objdump prints as tzcnt, runs as bsf on older CPUs.
BEYOND_SSE2 = re.compile(
    r"\t(v[a-z0-9]+|k(mov|and|or|xor|not|test|ortest|shift)[a-z]*|pshufb|palignr|ph(add|sub)[a-z]*|pmaddubsw|"
    r"pabs[bwd]|psign[bwd]|pmulhrsw|lddqu|movddup|movs[hl]dup|h(add|sub)p[sd]|addsubp[sd]|ptest|pblend[a-z]*|"
    r"blendv?p[sd]|pmin(s[bd]|u[wd])|pmax(s[bd]|u[wd])|pcmp(eq|gt)q|packusdw|pmov[sz]x[a-z]*|pextr[bdq]|"
    r"pinsr[bdq]|round[ps][sd]|dpp[sd]|insertps|extractps|mpsadbw|phminposuw|pmuldq|pmulld|crc32[a-z]*|popcnt|"
    r"lzcnt|andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|movbe|adcx|adox)\s"
)
# Code that runs only after a run-time CPU check: nvx's kernels (dispatch.rs), the memchr crate's AVX2 searchers
# inside Rust's std (memchr picks them with is_x86_feature_detected), compiler_builtins' fma with FMA/FMA4.
DISPATCHED = re.compile(
    r"^<?nvx_ws::arch::x86_64::|^<?memchr::arch::x86_64::avx2::|^compiler_builtins::math::.*::fmaf?_with_fma4?$"
)

results: list[tuple[bool, str, str, str]] = []  # (ok, artifact, check, detail)


def record(ok, artifact, check, detail=""):
    results.append((bool(ok), artifact, check, detail))
    print("%s %s: %s%s" % ("PASS" if ok else "FAIL", artifact, check, (": " + detail) if detail else ""))


def run(cmd, **kw):
    env = dict(os.environ, NO_COLOR="1", TERM="dumb")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)
    return p.returncode, re.sub(r"\x1b\[[0-9;]*m", "", p.stdout + p.stderr)


def tool(name):
    return os.path.join(BIN, name)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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
        else "%d files, Rust workspace + Cargo.lock + header + package + backend" % len(members),
    )
    bad = [m for m in members if SDIST_FORBIDDEN.search(m)]
    record(not bad, name, "sdist carries nothing built or local", ", ".join(bad[:10]))


def elf_checks(name, so, claimed_glibc):
    rc, syms = run(["readelf", "--dyn-syms", "-W", so])
    versions = sorted({tuple(int(x) for x in v.split(".")) for v in re.findall(r"@GLIBC_([0-9.]+)", syms)})
    newest = versions[-1] if versions else None
    if claimed_glibc:
        ok = newest is None or newest <= claimed_glibc
        record(
            ok,
            name,
            "glibc symbol versions <= %d.%d" % claimed_glibc,
            "newest GLIBC_%s" % ".".join(map(str, newest)) if newest else "none",
        )
    exported, loose = [], []
    for line in syms.splitlines():
        f = line.split()
        if len(f) < 8 or not f[0].rstrip(":").isdigit():
            continue
        bind, ndx, sym = f[4], f[6], f[7]
        base = sym.split("@")[0]
        if ndx != "UND" and bind in ("GLOBAL", "WEAK") and f[3] != "SECTION" and base:
            exported.append(base)
        elif ndx == "UND" and bind == "GLOBAL" and "@" not in sym and base and not base.startswith(("Py", "_Py")):
            loose.append(base)
    record(set(exported) <= INIT_SYMBOLS and exported, name, "exports its init function alone", " ".join(exported))
    record(not loose, name, "undefined symbols versioned, weak or the interpreter's", " ".join(loose[:10]))
    rc, dyn = run(["readelf", "-d", so])
    needed = re.findall(r"\(NEEDED\).*\[(.*)\]", dyn)
    record(True, name, "NEEDED", " ".join(needed))


def check_wheel(path):
    name = os.path.basename(path)
    _, _, _, tags = parse_wheel_filename(name)
    tag = sorted(str(t) for t in tags)[0]
    interp, abi, plat = tag.split("-")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        exts = [n for n in names if re.match(r"nvx_ws/_nvx\..*(so|pyd)$", n)]
        record(len(exts) == 1, name, "one extension module", " ".join(exts))
        if abi == "abi3":
            record(
                exts and re.search(r"_nvx\.(abi3\.so|pyd)$", exts[0]), name, "abi3 module name", exts[0] if exts else ""
            )
        tmp = tempfile.mkdtemp()
        for e in exts:
            z.extract(e, tmp)
    record(True, name, "tags", tag)
    if plat.startswith("linux_"):
        record(False, name, "manylinux tag", "plain %s: not repaired or tagged" % plat)
    m = re.match(r"manylinux_(\d+)_(\d+)_(\w+)$", plat)
    if m:
        claimed = (int(m.group(1)), int(m.group(2)))
        rc, out = run([tool("auditwheel"), "show", "--json", path])
        try:
            info = json.loads(out[out.index("{") :])
        except ValueError:
            record(False, name, "auditwheel show", out.strip()[-300:])
        else:
            overall = info.get("overall_tag", "")
            om = re.match(r"manylinux_(\d+)_(\d+)_", overall)
            ok = om is not None and (int(om.group(1)), int(om.group(2))) <= claimed
            record(
                ok,
                name,
                "auditwheel show",
                "consistent with %s (file name: %s); external libs: %s"
                % (overall, plat, ", ".join(info.get("external_libs") or {}) or "none"),
            )
            record(
                not info.get("unsupported_isa"),
                name,
                "auditwheel ISA extension check",
                "no x86-64-v2/v3/v4 ISA requirement noted" if "x86_64" in plat else "no unsupported ISA noted",
            )
        for e in exts:
            elf_checks(name, os.path.join(tmp, e), claimed)
    elif plat.startswith("linux"):
        for e in exts:
            elf_checks(name, os.path.join(tmp, e), None)
    if abi == "abi3":
        rc, out = run([tool("abi3audit"), "--strict", "--summary", path])
        summary = " ".join(out.split())
        summary = summary[summary.find(name) :] if name in summary else summary
        record(rc == 0, name, "abi3audit --strict", summary[-200:])


def check_isa(libnvx):
    rc, out = run(["objdump", "-d", "--no-show-raw-insn", "-C", libnvx])
    if rc:
        record(False, "libnvx.a", "ISA beyond x86_64 baseline", out[-200:])
        return
    counts: dict[str, int] = {}
    fn = None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m:
            fn = m.group(1)
        elif fn and BEYOND_SSE2.search(line):
            counts[fn] = counts.get(fn, 0) + 1
    outside = sorted(f for f in counts if not DISPATCHED.search(f))
    module = re.compile(r"(nvx_ws|memchr)::arch::x86_64::(sse::)?\w+")
    inside = sorted({m.group(0) for m in map(module.search, counts) if m})
    record(
        not outside,
        "libnvx.a (%s)" % os.path.relpath(libnvx, ROOT),
        "instructions beyond the x86_64 baseline only in run-time-dispatched code",
        ("outside: " + "; ".join(outside[:5])) if outside else "kernels: " + ", ".join(inside),
    )


def versions():
    out = []

    def cmd(label, argv):
        try:
            rc, text = run(argv)
            out.append("%-12s %s" % (label, text.strip().splitlines()[0] if text.strip() else "?"))
        except OSError:
            out.append("%-12s not found" % label)

    cmd("rustc", ["rustc", "--version"])
    cmd("cargo", ["cargo", "--version"])
    cmd("zig", [sys.executable, "-m", "ziglang", "version"])
    for mod in ("cffi", "setuptools", "wheel", "auditwheel", "abi3audit", "twine", "build", "packaging", "pip"):
        rc, text = run([sys.executable, "-c", "import importlib.metadata as m; print(m.version(%r))" % mod])
        out.append("%-12s %s" % (mod, text.strip()))
    out.append("%-12s %s (tools venv)" % ("python", sys.version.split()[0]))
    for venv in sorted(os.listdir(ROOT)):
        py = os.path.join(ROOT, venv, "bin", "python")
        if re.match(r"\.venv-wheels-(cpy|pypy|sdist|aarch64)", venv) and os.path.exists(py):
            rc, text = run([py, "-c", "import sys; print(sys.implementation.name, sys.version.replace(chr(10), ' '))"])
            out.append("%-12s %s (%s)" % ("python", text.strip(), venv))
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
    libnvx = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"), "release", "libnvx.a")
    if any("x86_64" in a for a in artifacts) and os.path.exists(libnvx):
        check_isa(libnvx)
    times = []
    if os.path.exists(TIMES):
        with open(TIMES, encoding="utf-8") as f:
            times = [line.rstrip("\n").split("\t") for line in f if "\t" in line]
    for step, secs in times:
        if ": tests" in step or "smoke test" in step or step.startswith("aarch64"):
            record(True, "build.sh", step, "passed in %s s" % secs)

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
