"""End to end on loopback: autobahn's asyncio WebSocket server and client, switched to nvx by
``nvx_ws.autobahn.install()`` (the ``nvx_autobahn_plugin`` does it), exchange text and binary messages from 0 B to
16 MiB, fragmented and not; invalid UTF-8 (also split across fragments) makes the server close with 1007.
Counting wrappers around the libnvx calls nvx_ws makes prove that nvx did the masking and the validation."""

import asyncio
import os
import random

import pytest

import nvx_ws
import nvx_ws.autobahn
import nvx_ws.masking
import nvx_ws.utf8

pytest.importorskip("autobahn.asyncio.websocket")
from autobahn.asyncio.websocket import (  # noqa: E402
    WebSocketClientFactory,
    WebSocketClientProtocol,
    WebSocketServerFactory,
    WebSocketServerProtocol,
)

SIZES = [0, 1, 2, 3, 125, 126, 127, 65535, 65536, 65537, 1 << 20, 16 << 20]


@pytest.fixture
def calls(monkeypatch):
    """Counts the libnvx calls behind autobahn's masking and validation."""
    counts = {"mask": 0, "validate": 0}

    def counting(kind, fn):
        def call(*args):
            counts[kind] += 1
            return fn(*args)

        return call

    monkeypatch.setattr(nvx_ws.masking, "_mask_to", counting("mask", nvx_ws.masking._mask_to))
    monkeypatch.setattr(nvx_ws.utf8, "_vld_validate", counting("validate", nvx_ws.utf8._vld_validate))
    return counts


def text_of_size(rng, n):
    """Valid UTF-8 of exactly n bytes: mixed ASCII, 2-, 3- and 4-byte code points, padded with ASCII."""
    pieces = [p.encode() for p in ("a", "é", "€", "中", "𝄞", " ", "ascii words ")]
    out, size = [], 0
    while True:
        piece = rng.choice(pieces)
        if size + len(piece) > n:
            break
        out.append(piece)
        size += len(piece)
    return b"".join(out) + b"a" * (n - size)


class Echo(WebSocketServerProtocol):
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


#: Seconds either side waits for the other's closing handshake (the tests wait up to 10 s for the close itself).
CLOSE_TIMEOUT = 8


async def start_server():
    loop = asyncio.get_running_loop()
    factory = WebSocketServerFactory()
    factory.protocol = Echo
    # failByDrop=False: fail with a closing handshake (the 1007 reaches the client) instead of dropping TCP.
    # closeHandshakeTimeout: autobahn's default (1 s) is shorter than an emulated aarch64 interpreter on a busy
    # machine may need to answer a close after 16 MiB messages (seen once in the matrix: 1006 instead of 1000).
    factory.setProtocolOptions(
        maxMessagePayloadSize=0, maxFramePayloadSize=0, failByDrop=False, closeHandshakeTimeout=CLOSE_TIMEOUT
    )
    server = await loop.create_server(factory, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def connect(port):
    loop = asyncio.get_running_loop()
    factory = WebSocketClientFactory("ws://127.0.0.1:%d" % port)
    factory.protocol = Client
    factory.setProtocolOptions(maxMessagePayloadSize=0, maxFramePayloadSize=0, closeHandshakeTimeout=CLOSE_TIMEOUT)
    factory.opened, factory.closed, factory.inbox = loop.create_future(), loop.create_future(), asyncio.Queue()
    await loop.create_connection(factory, "127.0.0.1", port)
    return await asyncio.wait_for(factory.opened, 10), factory


def test_messages_round_trip_through_nvx(calls):
    assert nvx_ws.autobahn.installed()
    rng = random.Random(6)

    async def run():
        server, port = await start_server()
        client, factory = await connect(port)
        sent = 0
        for n in SIZES:
            for is_binary in (False, True):
                payload = os.urandom(n) if is_binary else text_of_size(rng, n)
                for fragment in (None, 1 + n // 3 if n < 65536 else 65536):
                    client.sendMessage(payload, isBinary=is_binary, fragmentSize=fragment)
                    got = await asyncio.wait_for(factory.inbox.get(), 120)
                    assert got[1] is is_binary and len(got[0]) == n
                    assert got[0] == payload
                    sent += 1
        client.sendClose(1000)
        assert await asyncio.wait_for(factory.closed, 10) == 1000
        server.close()
        return sent

    sent = asyncio.run(run())
    assert sent == len(SIZES) * 4
    assert calls["mask"] >= sent  # every client frame masked by nvx, unmasked by nvx on the server
    assert calls["validate"] >= sent  # every text message validated by nvx, on both sides


@pytest.mark.parametrize(
    "payload,fragment",
    [
        (b"valid until \xff", None),
        (b"\xce\xba\xe1\xbd\xb9 then \xed\xa0\x80 surrogate", None),
        (b"split \xe2\x82 and then \xff", 7),  # split inside a code point, invalid two fragments later
        (b"split code point \xf0\x9f\x98" + b"\x41", 19),  # the invalid byte is alone in the last fragment
        (("x" * 100000).encode() + b"\xc0\xaf", 4096),
    ],
)
def test_invalid_text_closes_with_1007(payload, fragment, calls):
    async def run():
        server, port = await start_server()
        client, factory = await connect(port)
        client.sendMessage(b"fine", isBinary=False)
        assert await asyncio.wait_for(factory.inbox.get(), 10) == (b"fine", False)
        client.sendMessage(payload, isBinary=False, fragmentSize=fragment)
        code = await asyncio.wait_for(factory.closed, 10)
        assert factory.inbox.empty()
        server.close()
        return code

    assert asyncio.run(run()) == 1007
    # The invalid message reached libnvx's validator ("fine", a short ASCII chunk on a clean state, is answered by
    # nvx_ws.Utf8Validator without a C call).
    assert calls["validate"] >= 1
