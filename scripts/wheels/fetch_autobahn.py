"""Downloads autobahn 26.10.2's sdist and unpacks it where the tests look for their reference (target/).

    python scripts/wheels/fetch_autobahn.py <project>      # cibuildwheel's test-command, on every platform

tests/python/conftest.py reads autobahn's pure-Python utf8validator.py and xormasker.py from
<project>/target/autobahn-26.10.2/src/autobahn (or $NVX_AUTOBAHN_SRC). Does nothing when they are there.
"""

import glob
import os
import subprocess
import sys
import tarfile
import tempfile

VERSION = "26.10.2"


def main():
    project = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    target = os.path.join(project, "target")
    if os.path.isfile(os.path.join(target, "autobahn-" + VERSION, "src", "autobahn", "websocket", "utf8validator.py")):
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.check_call(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-binary",
                "autobahn",  # not :all:: the metadata's build environment would be built from source too
                "-d",
                tmp,
                "autobahn==" + VERSION,
            ]
        )
        (sdist,) = glob.glob(os.path.join(tmp, "autobahn-*.tar.gz"))
        os.makedirs(target, exist_ok=True)
        with tarfile.open(sdist) as tar:
            tar.extractall(target)
    print("autobahn %s unpacked into %s" % (VERSION, target))


if __name__ == "__main__":
    main()
