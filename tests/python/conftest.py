"""Shared fixtures: autobahn 26.10.2's pure-Python reference classes, loaded standalone from its sdist.

The reference is ``src/autobahn/websocket/utf8validator.py`` and ``xormasker.py`` from the sdist
(``pip download --no-deps --no-binary :all: autobahn==26.10.2``), executed as they are except that their one
import of autobahn (``from autobahn.websocket import USES_NVX``) is answered with ``USES_NVX = False``, which picks
their pure-Python branch. This works on any interpreter, PyPy 3.9 included, where autobahn itself cannot be installed.

Where: ``$NVX_AUTOBAHN_SRC`` (the sdist's ``src/autobahn``), else ``target/autobahn-26.10.2/src/autobahn``
(where scripts/ci/python.sh unpacks it).
"""

import os
import random

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMPORT_LINE = "from autobahn.websocket import USES_NVX\n"


def _autobahn_src():
    candidates = [
        os.environ.get("NVX_AUTOBAHN_SRC"),
        os.path.join(ROOT, "target", "autobahn-26.10.2", "src", "autobahn"),
    ]
    for path in candidates:
        if path and os.path.isfile(os.path.join(path, "websocket", "utf8validator.py")):
            return path
    raise RuntimeError(
        "autobahn 26.10.2's sources not found: set NVX_AUTOBAHN_SRC to the sdist's src/autobahn "
        "(scripts/ci/python.sh downloads it into target/autobahn-26.10.2)"
    )


def _load(name):
    path = os.path.join(_autobahn_src(), "websocket", name)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    assert source.count(IMPORT_LINE) == 1, "%s changed: expected exactly one %r" % (path, IMPORT_LINE)
    namespace = {"__name__": "autobahn_reference_" + name[:-3]}
    exec(compile(source.replace(IMPORT_LINE, "USES_NVX = False\n"), path, "exec"), namespace)
    return namespace


class Reference:
    """autobahn's pure-Python classes."""

    def __init__(self):
        utf8 = _load("utf8validator.py")
        xor = _load("xormasker.py")
        self.Utf8Validator = utf8["Utf8Validator"]
        self.XorMaskerNull = xor["XorMaskerNull"]
        self.XorMaskerSimple = xor["XorMaskerSimple"]
        self.XorMaskerShifted1 = xor["XorMaskerShifted1"]
        self.create_xor_masker = xor["create_xor_masker"]


@pytest.fixture(scope="session")
def reference():
    return Reference()


# Pieces that random UTF-8-ish data is made of: valid code points of every length and the classic invalid ones.
VALID_PIECES = [
    b"a",
    b"Hello, world ",
    b"\x00",
    b"\x7f",
    "é".encode(),
    "ß".encode(),
    "€".encode(),
    "中文".encode(),
    "𝄞".encode(),
    "\U0010ffff".encode(),
    "\ud7ff".encode(),
    "\ue000".encode(),
    "\uffff".encode(),
]
INVALID_PIECES = [
    b"\x80",
    b"\xbf",
    b"\xc0\x80",
    b"\xc1\xbf",
    b"\xe0\x80\x80",
    b"\xed\xa0\x80",
    b"\xf0\x80\x80\x80",
    b"\xf4\x90\x80\x80",
    b"\xf5",
    b"\xfe",
    b"\xff",
    b"\xc2",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
]


def random_message(rng, n_pieces, invalid_rate):
    out = []
    for _ in range(n_pieces):
        if rng.random() < invalid_rate:
            out.append(rng.choice(INVALID_PIECES))
        elif rng.random() < 0.1:
            out.append(bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 4))))
        else:
            out.append(rng.choice(VALID_PIECES))
    return b"".join(out)


def random_splits(rng, data, max_chunks):
    """``data`` cut at random points (empty chunks included)."""
    cuts = sorted(rng.randrange(len(data) + 1) for _ in range(rng.randrange(max_chunks)))
    bounds = [0] + cuts + [len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:])]


@pytest.fixture
def rng(request):
    return random.Random(request.node.nodeid)
