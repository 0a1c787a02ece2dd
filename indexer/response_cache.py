"""An in-process cache of the read API's responses, valid while the indexed data is unchanged.

Every GET under ``/api/`` that answered 200 is kept (LRU, bounded) with the sync state it was
computed at (checkpoint block and hash, and the last head seen); concurrent identical requests
wait for the one being computed instead of running it again. A request first reads that
state, one primary-key row; if it still equals the entry's, the stored bytes are sent without
routing, validation, queries or serialisation. Ingest moves the checkpoint in the same
transaction as the data, so an entry is never served for data it does not show; an entry
computed while the checkpoint moved carries the older state and is recomputed next time.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

MAX_ENTRIES = 4_096
MAX_BYTES = 64 << 20  # bodies kept in all, per process
MAX_BODY = 1 << 20  # larger responses are not kept


@dataclass(frozen=True)
class _Entry:
    version: Hashable
    headers: list
    body: bytes
    route: object  # the matched route, so that the metrics label cached answers like fresh ones


class ResponseCache:
    """ASGI middleware; ``version()`` returns the store's current sync state."""

    def __init__(
        self, app, *, version: Callable[[], Hashable], max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES
    ):
        self.app = app
        self.version = version
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0  # bytes of the bodies kept
        self.entries: OrderedDict[tuple[str, bytes], _Entry] = OrderedDict()
        self.computing: dict[tuple[str, bytes], tuple[Hashable, asyncio.Event]] = {}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        version = self.version()
        if await self._send_kept(key, version, scope, send):
            return
        computing = self.computing.get(key)
        if computing is not None and computing[0] == version:
            # The same request is being answered: wait for it rather than run the same query again.
            await computing[1].wait()
            if await self._send_kept(key, version, scope, send):
                return
        done = asyncio.Event()
        self.computing[key] = (version, done)
        try:
            await self._compute(key, version, scope, receive, send)
        finally:
            done.set()
            if self.computing.get(key, (None, None))[1] is done:
                del self.computing[key]

    async def _send_kept(self, key, version, scope, send) -> bool:
        entry = self.entries.get(key)
        if entry is None or entry.version != version:
            return False
        self.entries.move_to_end(key)
        scope["route"] = entry.route
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        await send({"type": "http.response.body", "body": entry.body})
        return True

    async def _compute(self, key, version, scope, receive, send) -> None:
        start: dict = {}
        chunks: list[bytes] = []

        async def send_and_keep(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    self._keep(key, version, start, b"".join(chunks), scope.get("route"))
            await send(message)

        await self.app(scope, receive, send_and_keep)

    def _keep(self, key, version, start: dict, body: bytes, route) -> None:
        if len(body) > min(MAX_BODY, self.max_bytes):
            return
        replaced = self.entries.pop(key, None)
        if replaced is not None:
            self.size -= len(replaced.body)
        self.entries[key] = _Entry(version, list(start.get("headers", [])), body, route)
        self.size += len(body)
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)  # the least recently used
            self.size -= len(evicted.body)
