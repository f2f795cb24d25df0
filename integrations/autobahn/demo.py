"""The demonstration: autobahn's asyncio WebSocket server and client on loopback exchanging a realistic mix of
messages, on nvx (``nvx_ws.autobahn.install()``) and on autobahn's own NVX, side by side.

    PYTHONPATH=python python integrations/autobahn/demo.py        # autobahn==26.10.2 (stock wheel) and cffi
                                                                   # installed, nvx_ws built (python cffi_build.py)

Each implementation runs in fresh subprocesses (``--run nvx`` / ``--run autobahn``), so the switch is clean: the
nvx one calls ``nvx_ws.autobahn.install()`` before autobahn is imported, the autobahn one never imports nvx_ws. Each
asserts, from the connection objects after the exchange, which validator and masker autobahn's protocol actually
used. The messages (fixed seed): mostly short chat-like texts in several scripts, JSON documents, binary blobs of
KiB, and a few text and binary messages of up to 4 MiB, sent in fragments of 64 KiB above 256 KiB; the client
masks every frame as RFC 6455 requires, the server unmasks it, validates text, and echoes it (unmasked) to the
client, which validates text again. The client keeps up to 16 messages in flight; every echo is compared with what
was sent. Printed: round trips per second, MB/s (payload bytes, both directions), the implementation, and whether
every echoed message matched; the best of 4 rounds of the same messages (2 processes per implementation,
alternating, 2 rounds each). About 15 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time

SEED = 6
MESSAGES = 2000
PROCESSES = 2  # per implementation, alternating: nvx, autobahn, nvx, autobahn
ROUNDS = 2  # per process
IN_FLIGHT = 16
FRAGMENT_ABOVE = 256 << 10
FRAGMENT_SIZE = 64 << 10

# Words of chat lines: English, accented Latin, CJK, Korean, Cyrillic, Greek, Arabic, Hebrew and emoji.
VOCABULARY = (
    "hello world ok thanks see you tomorrow meeting lunch the quick brown fox jumps over lazy dog websocket "
    "café naïve über straße façade señor 東京 日本語 漢字 中文 消息 한국어 안녕하세요 Привет мир Ελληνικά "
    "مرحبا שלום 😀 🚀 🎉 👍 🔥"
)
WORDS = VOCABULARY.split()


def chat(rng: random.Random) -> bytes:
    """A chat-like line: 2 to 30 words of several scripts."""
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 30))).encode()


def json_document(rng: random.Random) -> bytes:
    """A JSON event of a few hundred bytes to a few KiB, with non-ASCII strings kept as UTF-8."""
    items = [
        {"id": rng.randrange(10**9), "user": rng.choice(WORDS), "text": chat(rng).decode(), "score": rng.random()}
        for _ in range(rng.randint(1, 30))
    ]
    return json.dumps({"type": "update", "seq": rng.randrange(10**6), "items": items}, ensure_ascii=False).encode()


def long_text(rng: random.Random, size: int) -> bytes:
    """Up to ``size`` bytes of words (a log, a document), cut after a whole word."""
    data = " ".join(rng.choices(WORDS, k=size // 4)).encode()
    return data[: data.rfind(b" ", 0, size + 1)]


def log_uniform(rng: random.Random, low: int, high: int) -> int:
    return int(low * (high / low) ** rng.random())


def messages(seed: int = SEED, count: int = MESSAGES) -> list[tuple[bytes, bool]]:
    """The mix, as ``(payload, is_binary)``: 75 % chat texts, 15 % JSON, 8 % binary of 1-64 KiB, 1.5 % text of
    64 KiB-1 MiB, 0.5 % binary of 1-4 MiB."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        r = rng.random()
        if r < 0.75:
            out.append((chat(rng), False))
        elif r < 0.90:
            out.append((json_document(rng), False))
        elif r < 0.98:
            out.append((rng.randbytes(log_uniform(rng, 1 << 10, 64 << 10)), True))
        elif r < 0.995:
            out.append((long_text(rng, log_uniform(rng, 64 << 10, 1 << 20)), False))
        else:
            out.append((rng.randbytes(log_uniform(rng, 1 << 20, 4 << 20)), True))
    return out


# --- one implementation, in its own process -----------------------------------------------------------------------


def select(implementation: str) -> None:
    """Makes autobahn use ``implementation`` in this process; must run before autobahn is imported."""
    if "autobahn" in sys.modules:
        raise RuntimeError("autobahn was imported before the implementation was chosen")
    if implementation == "nvx":
        import nvx_ws.autobahn

        nvx_ws.autobahn.install()
        assert nvx_ws.autobahn.installed()
    else:
        from autobahn.websocket import USES_NVX

        assert USES_NVX, "this autobahn has no NVX (the stock wheel from PyPI has it)"


def in_use(implementation: str, validator, masker) -> str:
    """Checks that the validator and the (last) frame masker autobahn used on the server's connection are
    ``implementation``'s, and names them."""
    if implementation == "nvx":
        import nvx_ws

        assert type(validator) is nvx_ws.Utf8Validator, type(validator)
        assert type(masker).__module__ == "nvx_ws.masking", type(masker)
        return f"nvx_ws {nvx_ws.__version__} ({nvx_ws.implementation()})"
    import autobahn
    import autobahn.websocket.protocol

    assert "nvx_ws" not in sys.modules
    assert type(validator).__module__ == "autobahn.nvx._utf8validator", type(validator)
    assert type(masker).__module__ == "autobahn.nvx._xormasker", type(masker)
    assert autobahn.websocket.protocol.create_xor_masker.__module__ == "autobahn.nvx._xormasker"
    names = {1: "table DFA", 2: "unrolled DFA", 3: "SSE2 DFA", 4: "SSE4.1 DFA"}
    kernel = names.get(validator.lib.nvx_utf8vld_get_impl(validator._vld), "?")
    return f"autobahn {autobahn.__version__} NVX ({kernel})"


async def exchange(plan: list[tuple[bytes, bool]]) -> dict:
    from autobahn.asyncio.websocket import (
        WebSocketClientFactory,
        WebSocketClientProtocol,
        WebSocketServerFactory,
        WebSocketServerProtocol,
    )

    class Echo(WebSocketServerProtocol):
        def onOpen(self):
            self.factory.connection = self

        def onMessage(self, payload, isBinary):
            self.sendMessage(payload, isBinary)

    class Client(WebSocketClientProtocol):
        def onOpen(self):
            self.factory.opened.set_result(self)

        def onMessage(self, payload, isBinary):
            self.factory.inbox.put_nowait((payload, isBinary))

        def onClose(self, wasClean, code, reason):
            if not self.factory.closed.done():
                self.factory.closed.set_result(code)

    loop = asyncio.get_running_loop()
    server_factory = WebSocketServerFactory()
    server_factory.protocol = Echo
    server_factory.setProtocolOptions(maxMessagePayloadSize=0, maxFramePayloadSize=0)
    server = await loop.create_server(server_factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client_factory = WebSocketClientFactory(f"ws://127.0.0.1:{port}")
    client_factory.protocol = Client
    client_factory.setProtocolOptions(maxMessagePayloadSize=0, maxFramePayloadSize=0)
    client_factory.opened, client_factory.closed = loop.create_future(), loop.create_future()
    client_factory.inbox = asyncio.Queue()
    await loop.create_connection(client_factory, "127.0.0.1", port)
    client = await asyncio.wait_for(client_factory.opened, 10)

    best, matched = None, 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        sent = 0
        for received in range(len(plan)):
            while sent < len(plan) and sent - received < IN_FLIGHT:
                payload, is_binary = plan[sent]
                fragment = FRAGMENT_SIZE if len(payload) > FRAGMENT_ABOVE else None
                client.sendMessage(payload, isBinary=is_binary, fragmentSize=fragment)
                sent += 1
            echoed = await asyncio.wait_for(client_factory.inbox.get(), 60)
            matched += echoed == plan[received]
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    connection = server_factory.connection
    used = (connection.utf8validator, connection.current_frame_masker)
    client.sendClose(1000)
    code = await asyncio.wait_for(client_factory.closed, 10)
    server.close()
    return {"seconds": best, "matched": matched, "echoed": ROUNDS * len(plan), "close_code": code, "used": used}


def run_one(implementation: str) -> None:
    select(implementation)
    plan = messages()
    result = asyncio.run(exchange(plan))
    payload_bytes = sum(len(p) for p, _ in plan)
    print(
        json.dumps(
            {
                "implementation": in_use(implementation, *result.pop("used")),
                "messages": len(plan),
                "text": sum(not b for _, b in plan),
                "payload_bytes": payload_bytes,
                "largest": max(len(p) for p, _ in plan),
                **result,
            }
        )
    )


# --- both, side by side -------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", choices=("nvx", "autobahn"), help="one implementation in this process (internal)")
    args = parser.parse_args()
    if args.run:
        run_one(args.run)
        return 0

    results = {}
    for n in range(1, PROCESSES + 1):
        for implementation in ("nvx", "autobahn"):
            print(f"demo: {implementation} ({n}/{PROCESSES}) ...", flush=True)
            out = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--run", implementation],
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            if implementation in results:
                seen = results[implementation]
                assert seen["implementation"] == result["implementation"]
                result["seconds"] = min(seen["seconds"], result["seconds"])
                result["matched"] += seen["matched"]
                result["echoed"] += seen["echoed"]
                result["close_code"] = max(seen["close_code"], result["close_code"], key=lambda c: c != 1000)
            results[implementation] = result

    nvx, ab = results["nvx"], results["autobahn"]
    rate = {k: r["messages"] / r["seconds"] for k, r in results.items()}
    mbps = {k: 2 * r["payload_bytes"] / r["seconds"] / 1e6 for k, r in results.items()}
    print(
        f"\nautobahn asyncio server + client on loopback: {nvx['messages']} messages echoed ({nvx['text']} text), "
        f"{nvx['payload_bytes'] / 1e6:.1f} MB of payload each way, largest {nvx['largest'] / 2**20:.1f} MiB; "
        f"best of {PROCESSES * ROUNDS} rounds ({PROCESSES} processes of {ROUNDS}, alternating), up to {IN_FLIGHT} "
        f"messages in flight; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    rows = [
        ("implementation", nvx["implementation"], ab["implementation"], ""),
        ("round trips/s", f"{rate['nvx']:,.0f}", f"{rate['autobahn']:,.0f}", f"{rate['nvx'] / rate['autobahn']:.2f}×"),
        (
            "MB/s (both ways)",
            f"{mbps['nvx']:,.0f}",
            f"{mbps['autobahn']:,.0f}",
            f"{mbps['nvx'] / mbps['autobahn']:.2f}×",
        ),
        ("seconds per round", f"{nvx['seconds']:.2f}", f"{ab['seconds']:.2f}", ""),
        ("echoes matched", f"{nvx['matched']}/{nvx['echoed']}", f"{ab['matched']}/{ab['echoed']}", ""),
        ("close code", str(nvx["close_code"]), str(ab["close_code"]), ""),
    ]
    widths = [max(len(row[i]) for row in rows + [("", "nvx", "autobahn NVX", "nvx/autobahn")]) for i in range(4)]
    for row in [("", "nvx", "autobahn NVX", "nvx/autobahn")] + rows:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    ok = all(r["matched"] == r["echoed"] and r["close_code"] == 1000 for r in results.values())
    print("\nevery echoed message matched what was sent, on both" if ok else "\nMISMATCH: see the table above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
