"""The testee for the Autobahn|Testsuite: autobahn 26.10.2's asyncio WebSocket echo server, configured as autobahn's
own testee (``wstest/testee_server_aio.py`` in its sdist), with autobahn's hot paths on one of three implementations:

    nvx            nvx_ws.autobahn.install(): nvx_ws's Utf8Validator and XOR maskers (the default)
    autobahn-nvx   autobahn's own NVX (the compiled CFFI modules its wheel ships)
    python         autobahn's pure-Python classes (AUTOBAHN_USE_NVX=0, set here before autobahn is imported)

Text is echoed as text and binary as binary. Options: ``failByDrop=False``, incoming UTF-8 validation on, masked
client frames required, no frame or message size limit, no automatic fragmentation, and permessage-deflate
offers accepted (as autobahn's testee does; cases 12.* and 13.* need it, the others never offer it).

The server proves which implementation runs: at start-up, autobahn's protocol module must be bound to it (checked by
the defining module of each class and by a call that must validate and mask correctly); on the first connection,
the connection's validator and the masker of the first masked frame with a payload must be its classes. A failed
check prints ``echo_server: FAILED: ...`` and exits with status 3, which fails the driver (``fuzzingclient.py``).

    python echo_server.py --impl nvx [--port 0] [--stats FILE [--peer-pid-file PIDFILE]]

Prints ``ready PORT`` on stdout once it listens on 127.0.0.1 (port 0: any free port). On SIGTERM or SIGINT it
stops, writes ``FILE`` (JSON: for each connection, from onOpen to onClose, the wall time, the CPU time this process
used and, when PIDFILE names the client's process, the CPU time the client used; the process's total CPU time) and
exits 0. Start-up takes about 0.3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import platform
import resource
import signal
import socket
import sys
import time
from dataclasses import dataclass

import txaio

IMPLEMENTATIONS = ("nvx", "autobahn-nvx", "python")
EXIT_CHECK_FAILED = 3


class CheckFailed(Exception):
    """autobahn is not running on the implementation the server was asked for."""


def require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


@dataclass(frozen=True)
class Implementation:
    """Where the classes autobahn uses must come from (by their defining module, not by autobahn's names)."""

    name: str
    description: str
    validator_module: str
    masker_module: str
    null_masker_module: str


def select(name: str) -> Implementation:
    """Switches autobahn to the implementation ``name`` (before autobahn is imported) and checks the switch."""
    setting = os.environ.get("AUTOBAHN_USE_NVX", "")
    if name == "python":
        os.environ["AUTOBAHN_USE_NVX"] = "0"
    elif setting.strip().lower() in ("0", "no", "false"):
        raise CheckFailed(f"AUTOBAHN_USE_NVX={setting} is set: unset it for --impl {name}")

    if name == "nvx":
        nvx_ws = importlib.import_module("nvx_ws")
        nvx_autobahn = importlib.import_module("nvx_ws.autobahn")
        nvx_autobahn.install()
        require(nvx_autobahn.installed(), "nvx_ws.autobahn.installed() is False after install()")
        libnvx = f"libnvx {nvx_ws.libnvx_version()}, {nvx_ws.implementation()} kernel"
        return Implementation(
            name,
            f"nvx_ws {nvx_ws.__version__} ({libnvx}) from {os.path.dirname(nvx_ws.__file__)}",
            "nvx_ws.utf8",
            "nvx_ws.masking",
            "nvx_ws.masking",
        )

    websocket = importlib.import_module("autobahn.websocket")
    require("nvx_ws" not in sys.modules, f"nvx_ws was imported in --impl {name}")
    if name == "autobahn-nvx":
        require(
            websocket.HAS_NVX and websocket.USES_NVX,
            f"autobahn's NVX is not in use (HAS_NVX {websocket.HAS_NVX}, USES_NVX {websocket.USES_NVX})",
        )
        native = sys.modules["_nvx_utf8validator"]
        require(not getattr(native, "__nvx__", False), "_nvx_utf8validator is nvx's stand-in, not autobahn's")
        return Implementation(
            name,
            f"autobahn's NVX ({os.path.basename(native.__file__)})",
            "autobahn.nvx._utf8validator",
            "autobahn.nvx._xormasker",
            "autobahn.websocket.xormasker",
        )
    require(not websocket.USES_NVX, "autobahn uses its NVX despite AUTOBAHN_USE_NVX=0")
    return Implementation(
        name,
        "autobahn's pure Python (AUTOBAHN_USE_NVX=0)",
        "autobahn.websocket.utf8validator",
        "autobahn.websocket.xormasker",
        "autobahn.websocket.xormasker",
    )


def check_defined_in(what: str, obj: object, module: str) -> None:
    cls = obj if isinstance(obj, type) else type(obj)
    require(cls.__module__ == module, f"{what} is {cls.__module__}.{cls.__qualname__}, not from {module}")


def check_bindings(impl: Implementation) -> None:
    """autobahn's protocol module looks up the implementation's classes, and they work."""
    protocol = importlib.import_module("autobahn.websocket.protocol")
    check_defined_in("autobahn.websocket.protocol.Utf8Validator", protocol.Utf8Validator, impl.validator_module)
    check_defined_in("autobahn.websocket.protocol.XorMaskerNull", protocol.XorMaskerNull, impl.null_masker_module)
    key = b"\x37\xfa\x21\x3d"
    for length in (16, 1 << 20):  # autobahn picks a different masker class below and above 128 bytes
        masker = protocol.create_xor_masker(key, length)
        check_defined_in(f"create_xor_masker(key, {length})", masker, impl.masker_module)
        require(masker.process(b"Hello") == b"\x7f\x9f\x4d\x51\x58", f"{masker!r} masks wrongly")
    validator = protocol.Utf8Validator()
    require(validator.validate(b"\xce\xba\xe1\xbd\xb9")[:2] == (True, True), f"{validator!r} rejects valid UTF-8")
    validator.reset()
    require(validator.validate(b"ok \xed\xa0\x80")[0] is False, f"{validator!r} accepts a surrogate")


@dataclass
class Connection:
    """One WebSocket connection (one wstest case), from onOpen to onClose."""

    opened: float  # time.time() at onOpen
    wall: float  # seconds
    cpu: float  # CPU seconds of this process (user + system) while it was open
    peer_cpu: float | None  # CPU seconds of the client process meanwhile, when its PID is known


class Peer:
    """The client's CPU time, read from /proc/PID/stat; the PID comes from a file the driver writes once the
    client runs (read when a connection opens, until it is there)."""

    def __init__(self, pid_file: str | None) -> None:
        self.pid_file = pid_file
        self.pid: int | None = None
        self.tick = os.sysconf("SC_CLK_TCK")

    def cpu(self) -> float | None:
        if self.pid is None and self.pid_file and os.path.exists(self.pid_file):
            with open(self.pid_file, encoding="ascii") as f:
                self.pid = int(f.read())
        if self.pid is None:
            return None
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime, stime (fields 14 and 15 of stat)


def build_factory(impl: Implementation, fail, peer: Peer):
    """The echo server's factory; ``fail(message)`` is called when a check on a connection fails."""
    # Imported here, not at the top: autobahn reads AUTOBAHN_USE_NVX once, when first imported (select() sets it).
    import autobahn.asyncio
    from autobahn.asyncio.websocket import (
        WebSocketServerFactory,
        WebSocketServerProtocol,
    )
    from autobahn.websocket.compress import (
        PerMessageDeflateOffer,
        PerMessageDeflateOfferAccept,
    )

    class EchoProtocol(WebSocketServerProtocol):
        def onOpen(self):
            self._nvx_start = (time.time(), time.perf_counter(), time.process_time(), peer.cpu())
            if not self.factory.validator_checked:
                self.factory.validator_checked = True
                self._check("this connection's validator", self.utf8validator, impl.validator_module)

        def onMessageFrameBegin(self, length):
            super().onMessageFrameBegin(length)
            # Every client frame is masked (requireMaskedClientFrames); an empty one gets the null masker.
            if length > 0 and not self.factory.masker_checked:
                self.factory.masker_checked = True
                self._check("the masker of the first masked frame", self.current_frame_masker, impl.masker_module)

        def onMessage(self, payload, isBinary):
            self.sendMessage(payload, isBinary)

        def onClose(self, wasClean, code, reason):
            start = getattr(self, "_nvx_start", None)
            if start is not None:  # the opening handshake completed
                opened, wall_start, cpu_start, peer_start = start
                wall, cpu, peer_end = time.perf_counter() - wall_start, time.process_time() - cpu_start, peer.cpu()
                peer_cpu = peer_end - peer_start if peer_start is not None and peer_end is not None else None
                self.factory.connections.append(Connection(opened, wall, cpu, peer_cpu))

        def _check(self, what, obj, module):
            try:
                check_defined_in(what, obj, module)
            except CheckFailed as e:
                fail(str(e))

    def accept_deflate(offers):
        for offer in offers:
            if isinstance(offer, PerMessageDeflateOffer):
                return PerMessageDeflateOfferAccept(offer)
        return None

    factory = WebSocketServerFactory(server=f"{autobahn.asyncio.__ident__} ({impl.name})")
    factory.protocol = EchoProtocol
    factory.setProtocolOptions(
        failByDrop=False,
        utf8validateIncoming=True,
        requireMaskedClientFrames=True,
        maxFramePayloadSize=0,
        maxMessagePayloadSize=0,
        autoFragmentSize=0,
        perMessageCompressionAccept=accept_deflate,
    )
    factory.validator_checked = False
    factory.masker_checked = False
    factory.connections = []
    return factory


def write_stats(path: str, impl: Implementation, connections: list[Connection]) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats = {
        "implementation": impl.name,
        "description": impl.description,
        "process_cpu_s": usage.ru_utime + usage.ru_stime,
        "connections": [
            {"opened": c.opened, "wall_s": c.wall, "cpu_s": c.cpu, "peer_cpu_s": c.peer_cpu} for c in connections
        ],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impl", choices=IMPLEMENTATIONS, default="nvx")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--stats", help="write per-connection wall and CPU times here (JSON) at exit")
    parser.add_argument("--peer-pid-file", help="file holding the client's PID, to measure its CPU time too")
    parser.add_argument("--loglevel", default="warn", help="autobahn's (txaio's) log level")
    args = parser.parse_args()

    txaio.use_asyncio()
    try:
        impl = select(args.impl)
        check_bindings(impl)
    except CheckFailed as e:
        print(f"echo_server: FAILED: {e}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    txaio.start_logging(level=args.loglevel)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    status = 0

    def fail(message: str) -> None:
        nonlocal status
        print(f"echo_server: FAILED: {message}", file=sys.stderr, flush=True)
        status = EXIT_CHECK_FAILED
        loop.stop()

    factory = build_factory(impl, fail, Peer(args.peer_pid_file))
    sock = socket.create_server(("127.0.0.1", args.port))
    server = loop.run_until_complete(loop.create_server(factory, sock=sock))
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, loop.stop)
    port = sock.getsockname()[1]
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"echo_server: {impl.description}, {python}, on ws://127.0.0.1:{port}", file=sys.stderr, flush=True)
    print(f"ready {port}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.close()
    if args.stats:
        write_stats(args.stats, impl, factory.connections)
    return status


if __name__ == "__main__":
    sys.exit(main())
