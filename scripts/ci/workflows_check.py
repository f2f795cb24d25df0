"""Checks that the workflows agree with each other and with [tool.cibuildwheel] (the workflows stage; docs/release.md).

    python scripts/ci/workflows_check.py        # run by scripts/ci/workflows.sh in .venv-workflows

1. Artifact names: those wheels.yml uploads (its matrix rows, the sdist job) are those .github/scripts/release_dist.py
   expects; release.yml's check-workflows job has an output for each, and its release job downloads each of them.
2. Rows: for every row of wheels.yml's matrix, the identifiers cibuildwheel selects with that row's CIBW_BUILD on the
   row's platform and architecture (`cibuildwheel --print-build-identifiers`, which reads [tool.cibuildwheel]); the
   rows of one platform together select CPython 3.11, 3.12, 3.13, 3.14 and PyPy 3.11, each once, as the
   configuration alone does.
3. release_dist.py on made-up artifacts: a complete set passes; a changed byte, a missing or an extra wheel, a FAIL
   line in VALIDATION.txt, a package not in CHECKSUMS.sha256, a version other than the tag's each fail.
Prints a line per check and "N passed, N failed"; exits 1 if any failed.
"""

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKFLOWS = os.path.join(ROOT, ".github", "workflows")
INTERPRETERS = {"cp311", "cp312", "cp313", "cp314", "pp311"}
PLATFORMS = {"ubuntu": "linux", "macos": "macos", "windows": "windows"}

spec = importlib.util.spec_from_file_location(
    "release_dist", os.path.join(ROOT, ".github", "scripts", "release_dist.py")
)
if spec is None or spec.loader is None:
    raise SystemExit("workflows_check: cannot load .github/scripts/release_dist.py")
release_dist = importlib.util.module_from_spec(spec)
spec.loader.exec_module(release_dist)

results: list[bool] = []


def check(ok, what, detail=""):
    results.append(bool(ok))
    print("%s %s%s" % ("ok  " if ok else "FAIL", what, (": " + detail) if detail else ""))


def load(name):
    with open(os.path.join(WORKFLOWS, name), encoding="utf-8") as f:
        return yaml.safe_load(f)


def uploaded_names(workflow):
    """Artifact names the workflow's upload steps give, ${{ matrix.X }} expanded over the job's matrix rows."""
    names = []
    for job in workflow["jobs"].values():
        rows = job.get("strategy", {}).get("matrix", {}).get("include", [{}])
        for step in job.get("steps", []):
            if not step.get("uses", "").startswith("actions/upload-artifact@"):
                continue
            name = step["with"]["name"]
            m = re.fullmatch(r"\$\{\{ matrix\.(\w+) \}\}", name)
            names += [row[m.group(1)] for row in rows] if m else [name]
    return names


def check_names():
    produced = sorted(uploaded_names(load("wheels.yml")))
    expected = sorted(name for name, _ in release_dist.ARTIFACTS.values())
    check(produced == expected, "wheels.yml uploads the artifacts release_dist.py expects", ", ".join(produced))
    release = load("release.yml")
    outputs = {k for k in release["jobs"]["check-workflows"]["outputs"] if k.startswith("artifact_")}
    check(outputs == set(release_dist.ARTIFACTS), "release.yml check-workflows has an output per artifact")
    downloaded = set()
    for step in release["jobs"]["release"]["steps"]:
        if step.get("uses", "").startswith("actions/download-artifact@"):
            m = re.fullmatch(r"\$\{\{ needs\.check-workflows\.outputs\.(\w+) \}\}", step["with"]["name"])
            if m:
                downloaded.add(m.group(1))
    check(downloaded == outputs, "release.yml's release job downloads every artifact by its output")


def identifiers(platform, archs, build):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIBW_")}
    if build:
        env["CIBW_BUILD"] = build
    cmd = [sys.executable, "-m", "cibuildwheel", "--print-build-identifiers", "--platform", platform, "--archs", archs]
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if p.returncode:
        return None, (p.stdout + p.stderr).strip()[-300:]
    found = re.findall(r"^((?:cp|pp)\d+t?-\S+)$", p.stdout, re.M)
    # Selected but skipped only because this host cannot build it (pp311-macosx_arm64 on x86_64): the runner can.
    found += re.findall(r"Note: ((?:cp|pp)\d+t?-\S+) was selected, but can't be built on", p.stdout + p.stderr)
    return sorted(set(found)), ""


def check_rows():
    rows = load("wheels.yml")["jobs"]["wheels"]["strategy"]["matrix"]["include"]
    by_platform: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        platform = PLATFORMS[row["os"].split("-")[0]]
        ids, err = identifiers(platform, row["archs"], row["build"])
        check(ids, "row %s: %s %s" % (row["artifact"], platform, row["archs"]), " ".join(ids or []) or err)
        by_platform.setdefault((platform, row["archs"]), []).extend(ids or [])
    for (platform, archs), ids in sorted(by_platform.items()):
        interps = sorted(i.split("-")[0] for i in ids)
        alone, err = identifiers(platform, archs, "")
        check(
            interps == sorted(INTERPRETERS) and sorted(ids) == alone,
            "%s %s: the rows select CPython 3.11-3.14 and PyPy 3.11 once each, as [tool.cibuildwheel] does"
            % (platform, archs),
            "rows: %s; [tool.cibuildwheel] alone: %s"
            % (" ".join(interps), " ".join(sorted(i.split("-")[0] for i in alone or [])) or err),
        )


def fake_artifacts(root, version="9.8.7"):
    """A complete set of artifacts as wheels.yml would upload them (bytes made up, reports as verify.py writes)."""
    tags = {
        "manylinux_2_28_x86_64": "manylinux_2_28_x86_64",
        "manylinux_2_28_aarch64": "manylinux_2_28_aarch64",
        r"macosx_\d+_\d+_arm64": "macosx_11_0_arm64",
        "win_amd64": "win_amd64",
    }
    for name, promised in release_dist.ARTIFACTS.values():
        d = os.path.join(root, name)
        os.makedirs(d)
        for interp, platform in promised:
            f = (
                "nvx_ws-%s.tar.gz" % version
                if interp == "sdist"
                else "nvx_ws-%s-%s-%s.whl" % (version, interp, tags[platform])
            )
            with open(os.path.join(d, f), "wb") as out:
                out.write(hashlib.sha256(f.encode()).digest() * 64)
        write_reports(d)


def write_reports(d):
    with open(os.path.join(d, "CHECKSUMS.sha256"), "w", encoding="utf-8") as sums:
        for f in sorted(os.listdir(d)):
            if f.endswith((".whl", ".tar.gz")):
                with open(os.path.join(d, f), "rb") as data:
                    sums.write("%s  %s\n" % (hashlib.sha256(data.read()).hexdigest(), f))
    with open(os.path.join(d, "VALIDATION.txt"), "w", encoding="utf-8") as v:
        v.write("nvx-ws artifact validation\n1 checks, 0 failed\n\nPASS x: twine check --strict\n")
    with open(os.path.join(d, "build-info.txt"), "w", encoding="utf-8") as b:
        b.write("nvx-ws build info\n")


def gather(artifacts, version="9.8.7"):
    out = tempfile.mkdtemp()
    os.rmdir(out)
    with open(os.devnull, "w") as null:
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = null
        try:
            return release_dist.gather(artifacts, out, version), out
        finally:
            sys.stdout, sys.stderr = saved


def check_release_dist():
    def case(what, expect_ok, change=lambda root: None, version="9.8.7"):
        with tempfile.TemporaryDirectory() as root:
            fake_artifacts(root)
            change(root)
            rc, out = gather(root, version)
            wrote = os.path.isdir(out)
            if expect_ok and rc == 0:
                with open(os.path.join(out, "meta", "CHECKSUMS.sha256"), encoding="utf-8") as f:
                    listed = sorted(line.split()[1] for line in f)
                ok = listed == sorted(os.listdir(os.path.join(out, "dist"))) and len(listed) == 9
            else:
                ok = rc == (0 if expect_ok else 1) and (expect_ok or not wrote)
            check(ok, "release_dist.py: " + what, "" if ok else "rc %d" % rc)

    x86 = os.path.join("artifacts-manylinux_2_28_x86_64", "nvx_ws-9.8.7-cp311-abi3-manylinux_2_28_x86_64.whl")

    def flip(root):
        with open(os.path.join(root, x86), "r+b") as f:
            f.seek(100)
            byte = f.read(1)
            f.seek(100)
            f.write(bytes([byte[0] ^ 1]))

    def drop(root):
        os.remove(os.path.join(root, x86))
        write_reports(os.path.dirname(os.path.join(root, x86)))

    def extra(root):
        d = os.path.join(root, "wheels-windows-x86_64")
        with open(os.path.join(d, "nvx_ws-9.8.7-cp312-cp312-win_amd64.whl"), "wb") as f:
            f.write(b"extra")
        write_reports(d)

    def fail_line(root):
        with open(os.path.join(root, "wheels-macos-arm64", "VALIDATION.txt"), "a", encoding="utf-8") as f:
            f.write("FAIL nvx_ws-9.8.7-cp311-abi3-macosx_11_0_arm64.whl: abi3audit --strict\n")

    def unlisted(root):
        with open(os.path.join(root, "source-distribution", "CHECKSUMS.sha256"), "w", encoding="utf-8"):
            pass

    case("a complete set of artifacts is released, all 9 packages checksummed", True)
    case("a wheel changed by one bit after its build fails", False, flip)
    case("a missing wheel fails", False, drop)
    case("a wheel its artifact's name does not promise fails", False, extra)
    case("a FAIL line in an artifact's VALIDATION.txt fails", False, fail_line)
    case("a package missing from its CHECKSUMS.sha256 fails", False, unlisted)
    case("a version other than the tag's fails", False, version="9.8.8")
    case("a missing artifact fails", False, lambda root: shutil.rmtree(os.path.join(root, "wheels-macos-arm64")))


def main():
    check_names()
    check_rows()
    check_release_dist()
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
