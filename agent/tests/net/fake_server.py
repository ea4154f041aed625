#!/usr/bin/env python3
"""A minimal GuruConnect server for the agent's tests: accepts agents on any path,
answers AgentHello with Welcome, echoes pings, and prints one line per event:
  listening PORT | hello N | agent-ping N
usage: fake_server.py --port PORT [--heartbeat S]   (run as a process so tests can kill it)"""
import argparse
import asyncio
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests"))
from guruproto import envelope  # noqa: E402


def say(line):
    print(line, flush=True)


async def main():
    import websockets
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--heartbeat", type=int, default=1)
    args = ap.parse_args()
    hellos = 0

    async def handler(ws, *_):
        try:
            await serve_agent(ws)
        except websockets.ConnectionClosed:
            pass  # agents vanish; that is what the tests do to them

    async def serve_agent(ws):
        nonlocal hellos
        async for message in ws:
            decoded = envelope.decode(message)
            if decoded["type"] == "AgentHello":
                hellos += 1
                await ws.send(envelope.welcome(hellos, args.heartbeat))
                say(f"hello {hellos}")
            elif decoded["type"] == "Ping":
                await ws.send(envelope.pong(decoded["nonce"]))
                say(f"agent-ping {decoded['nonce']}")

    async with websockets.serve(handler, "127.0.0.1", args.port, ping_interval=None):
        say(f"listening {args.port}")
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
