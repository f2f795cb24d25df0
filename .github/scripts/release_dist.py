"""Checks the wheel workflow's artifacts and gathers them into a release (release.yml; docs/release.md).

    python .github/scripts/release_dist.py --outputs                    # key=artifact name, for $GITHUB_OUTPUT
    python .github/scripts/release_dist.py ARTIFACTS OUT [--version V]

ARTIFACTS holds one directory per artifact, named as wheels.yml uploads them (release.yml downloads each into
ARTIFACTS/<name>). Each must carry CHECKSUMS.sha256, VALIDATION.txt and build-info.txt (scripts/wheels/verify.py wrote
them in the job that built it); every package in it must match its checksum (the chain of custody from that job)
and be listed, no package listed may be missing, VALIDATION.txt must have no FAIL line, and the packages must be
exactly those its name promises (ARTIFACTS below). All packages carry one version, V where given (a tag's).
Writes OUT/dist/ (the packages: what PyPI gets), OUT/meta/CHECKSUMS.sha256 (every package, `sha256sum -c` format)
and OUT/meta/<artifact>.VALIDATION.txt and .build-info.txt. Exits 1 naming every failure; writes nothing then.
"""

import argparse
import hashlib
import os
import re
import shutil
import sys

# release.yml's check-workflows output -> (artifact name, [(interpreter-abi, platform pattern)]) of its packages.
# autobahn's names for the same platforms (seed 000; docs/release.md has the mapping and where nvx differs).
ARTIFACTS = {
    "artifact_manylinux_x86_64": (
        "artifacts-manylinux_2_28_x86_64",
        [("cp311-abi3", "manylinux_2_28_x86_64"), ("pp311-pypy311_pp73", "manylinux_2_28_x86_64")],
    ),
    "artifact_arm64_cpython": (
        "artifacts-arm64-cpython-3.11-manylinux_2_28_aarch64",
        [("cp311-abi3", "manylinux_2_28_aarch64")],
    ),
    "artifact_arm64_pypy": (
        "artifacts-arm64-pypy-3.11-manylinux_2_28_aarch64",
        [("pp311-pypy311_pp73", "manylinux_2_28_aarch64")],
    ),
    "artifact_macos_wheels": (
        "wheels-macos-arm64",
        [("cp311-abi3", r"macosx_\d+_\d+_arm64"), ("pp311-pypy311_pp73", r"macosx_\d+_\d+_arm64")],
    ),
    "artifact_windows_wheels": (
        "wheels-windows-x86_64",
        [("cp311-abi3", "win_amd64"), ("pp311-pypy311_pp73", "win_amd64")],
    ),
    "artifact_source_dist": ("source-distribution", [("sdist", "")]),
}
REPORTS = ("CHECKSUMS.sha256", "VALIDATION.txt", "build-info.txt")
WHEEL = re.compile(r"^nvx_ws-([^-]+)-([^-]+-[^-]+)-([^-]+)\.whl$")
SDIST = re.compile(r"^nvx_ws-([^-]+)\.tar\.gz$")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_checksums(path):
    sums = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line.rstrip("\n"))
            if m:
                sums[m.group(2)] = m.group(1)
    return sums


def check_artifact(directory, name, promised, errors):
    """The packages of one artifact, as (file name, version, sha256), after its checks; appends to errors."""
    if not os.path.isdir(directory):
        errors.append("%s: not downloaded" % name)
        return []
    missing = [r for r in REPORTS if not os.path.isfile(os.path.join(directory, r))]
    if missing:
        errors.append("%s: no %s" % (name, ", ".join(missing)))
        return []
    sums = read_checksums(os.path.join(directory, "CHECKSUMS.sha256"))
    with open(os.path.join(directory, "VALIDATION.txt"), encoding="utf-8") as f:
        failed = [line.strip() for line in f if line.startswith("FAIL")]
    if failed:
        errors.append("%s: VALIDATION.txt has %d FAIL lines, first: %s" % (name, len(failed), failed[0]))
    packages, kinds = [], []
    files = sorted(f for f in os.listdir(directory) if f.endswith((".whl", ".tar.gz")))
    for f in files:
        digest = sha256(os.path.join(directory, f))
        if f not in sums:
            errors.append("%s: %s is not in its CHECKSUMS.sha256" % (name, f))
        elif sums[f] != digest:
            errors.append("%s: %s does not match its checksum (built %s, now %s)" % (name, f, sums[f], digest))
        m, s = WHEEL.match(f), SDIST.match(f)
        if m:
            packages.append((f, m.group(1), digest))
            kinds.append((f, m.group(2), m.group(3)))
        elif s:
            packages.append((f, s.group(1), digest))
            kinds.append((f, "sdist", ""))
        else:
            errors.append("%s: %s is not an nvx_ws wheel or sdist" % (name, f))
    for f in sorted(set(sums) - set(files)):
        errors.append("%s: %s is in CHECKSUMS.sha256 but not in the artifact" % (name, f))
    for interp, platform in promised:
        hits = [f for f, i, p in kinds if i == interp and re.fullmatch(platform, p)]
        if len(hits) != 1:
            errors.append("%s: %d packages %s-%s, expected 1" % (name, len(hits), interp, platform or "(sdist)"))
    for f, i, p in kinds:
        if not any(i == interp and re.fullmatch(platform, p) for interp, platform in promised):
            errors.append("%s: %s is not one of the packages its name promises" % (name, f))
    return packages


def gather(artifacts, out, version):
    errors: list[str] = []
    packages = {}
    for _key, (name, promised) in ARTIFACTS.items():
        for f, v, digest in check_artifact(os.path.join(artifacts, name), name, promised, errors):
            packages[f] = (name, v, digest)
    versions = sorted({v for _, v, _ in packages.values()})
    if len(versions) > 1:
        errors.append("packages of more than one version: %s" % ", ".join(versions))
    if version and versions and versions != [version]:
        errors.append("packages are version %s, the release is %s" % (", ".join(versions), version))
    if errors:
        for e in errors:
            print("FAIL " + e, file=sys.stderr)
        print("release_dist: %d failures, nothing written" % len(errors), file=sys.stderr)
        return 1
    dist, meta = os.path.join(out, "dist"), os.path.join(out, "meta")
    os.makedirs(dist)
    os.makedirs(meta)
    with open(os.path.join(meta, "CHECKSUMS.sha256"), "w", encoding="utf-8") as sums:
        for f, (name, _, digest) in sorted(packages.items()):
            shutil.copy2(os.path.join(artifacts, name, f), os.path.join(dist, f))
            sums.write("%s  %s\n" % (digest, f))
            print("ok %s  %s (%s)" % (digest, f, name))
    for _key, (name, _) in ARTIFACTS.items():
        for report in REPORTS[1:]:
            shutil.copy2(os.path.join(artifacts, name, report), os.path.join(meta, "%s.%s" % (name, report)))
    print(
        "release_dist: %d packages of version %s from %d artifacts into %s"
        % (len(packages), versions[0], len(ARTIFACTS), out)
    )
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", action="store_true", help="print key=artifact name lines and exit")
    parser.add_argument("artifacts", nargs="?")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--version", default="")
    args = parser.parse_args()
    if args.outputs:
        for key, (name, _) in ARTIFACTS.items():
            print("%s=%s" % (key, name))
        return 0
    if not args.artifacts or not args.out:
        parser.error("ARTIFACTS and OUT are required")
    if os.path.exists(args.out):
        parser.error("%s exists" % args.out)
    return gather(args.artifacts, args.out, args.version)


if __name__ == "__main__":
    sys.exit(main())
