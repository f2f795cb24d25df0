"""The README's platform table, made from the platform matrix's record (docs/platform-matrix.json).

    python scripts/matrix/table.py --check     # exit 1 if the README's table is not the one the record makes
    python scripts/matrix/table.py             # rewrites the README's table from docs/platform-matrix.json
    python scripts/matrix/table.py --update    # copies the last run's record (target/matrix/platform-matrix.json,
                                               # scripts/ci/matrix.sh) to docs/ first

The table sits in README.md between the lines ``<!-- platform-matrix:begin -->`` and ``<!-- platform-matrix:end
-->``; nothing else of the README is touched. One line per row of the record: the platform, the interpreter and
its version, the artifact installed, the counts of the pytest suite, of autobahn's tests and of the loopback test,
and the result (a failure outside nvx with its reason; macOS and Windows: configured, not run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECORD = os.path.join(ROOT, "docs", "platform-matrix.json")
LAST_RUN = os.path.join(ROOT, "target", "matrix", "platform-matrix.json")
README = os.path.join(ROOT, "README.md")
BEGIN = "<!-- platform-matrix:begin -->"
END = "<!-- platform-matrix:end -->"


def counts(c):
    if not c:
        return "-"
    text = "%d passed" % c["passed"]
    for key in ("failed", "errors", "skipped"):
        if c.get(key):
            text += ", %d %s" % (c[key], key)
    return text


def artifact(name):
    """The tag of a wheel (nvx_ws-0.1.0-cp311-abi3-manylinux_2_28_x86_64.whl: cp311-abi3-manylinux_2_28_x86_64)."""
    if not name:
        return ""
    if name.endswith(".whl"):
        return "`%s`" % "-".join(name[:-4].split("-")[2:])
    return "sdist"


def result_cell(row):
    if row["status"] != "failed":
        return row["status"]
    parts = []
    for f in row["failures"]:
        if f["known"]:
            parts.append("%s (%s): %s" % (f["step"], "outside nvx" if f["outside_nvx"] else "nvx", f["known"]))
        else:
            parts.append("%s" % f["step"])
    return "**failed**: " + "; ".join(parts)


def render(record):
    host = record["host"]
    lines = [
        BEGIN,
        "| platform | interpreter | artifact installed | nvx's tests | autobahn's tests | loopback | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in record["rows"]:
        if row["status"] == "configured, not run":
            lines.append("| %s | %s | | | | | configured, not run |" % (row["platform"], row["interpreter"]))
            continue
        interpreter = row["interpreter"]
        if row.get("version"):
            interpreter += " (%s; %s)" % (row["version"], row["source"])
        if row.get("forward_check"):
            interpreter += ", forward check"
        ab = row.get("autobahn") or {}
        if ab.get("installed"):
            autobahn = counts(ab) + (" (its sdist)" if ab.get("built_from_sdist") else "")
        elif "autobahn" in row:
            autobahn = "not installed"
        else:
            autobahn = "-"
        lines.append(
            "| %s | %s | %s | %s | %s | %s | %s |"
            % (
                row["platform"],
                interpreter,
                artifact(row.get("artifact")),
                counts(row.get("tests")),
                autobahn,
                counts(row.get("loopback")),
                result_cell(row),
            )
        )
    notes = ["- %s: %s" % (row["id"], note) for row in record["rows"] if row.get("artifact") for note in row["notes"]]
    lines += [
        "",
        *(["Notes:", "", *notes, ""] if notes else []),
        "Made by `python scripts/matrix/table.py` from [docs/platform-matrix.json](docs/platform-matrix.json), the "
        "record of `bash scripts/ci/matrix.sh` on %s (commit %s; %s, %s; aarch64 under %s)."
        % (record["date"], host["commit"][:12], host["cpu"], host["kernel"], host["qemu"]),
        END,
    ]
    return "\n".join(lines) + "\n"


def replace(text, table):
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin:
        raise SystemExit("table.py: README.md has no %s ... %s block" % (BEGIN, END))
    return text[:begin] + table + text[end + len(END) + 1 :]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the README's table is not the record's")
    parser.add_argument("--update", action="store_true", help="copy target/matrix/platform-matrix.json first")
    args = parser.parse_args()
    if args.update:
        shutil.copyfile(LAST_RUN, RECORD)
    with open(RECORD, encoding="utf-8") as f:
        record = json.load(f)
    with open(README, encoding="utf-8") as f:
        text = f.read()
    new = replace(text, render(record))
    if args.check:
        if new != text:
            print(
                "README.md's platform table is not the one docs/platform-matrix.json makes: run "
                "python scripts/matrix/table.py",
                file=sys.stderr,
            )
            return 1
        print("README.md's platform table matches docs/platform-matrix.json (%d rows)" % len(record["rows"]))
        return 0
    if new != text:
        with open(README, "w", encoding="utf-8") as f:
            f.write(new)
        print("README.md: platform table rewritten from docs/platform-matrix.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
