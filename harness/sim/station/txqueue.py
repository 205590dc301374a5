"""Transaction-related messages: delivered in chronological order, kept while offline.

1.6 §3.7 (and §3.7.1 retries: TransactionMessageAttempts / RetryInterval), 2.0.1 E04 / E13
(MessageAttempts / MessageAttemptInterval). A message is built when it is sent, so a 1.6
StopTransaction queued offline still gets the transactionId its StartTransaction.conf brings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from harness.ocppj.events import ErrorReceived, ResultReceived
from harness.sim.station.link import Link, Payload

log = logging.getLogger("harness.sim.station")


@dataclass
class _Queued:
    action: str
    build: Callable[[], Payload | None]
    on_result: Callable[[Payload], None] | None
    done: asyncio.Future[Payload | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    attempts: int = 0

    def finish(self, result: Payload | None) -> None:
        if not self.done.done():
            self.done.set_result(result)


class TxQueue:
    """The queue and its delivery task."""

    def __init__(
        self,
        link: Link,
        *,
        ready: Callable[[], bool],
        attempts: Callable[[], tuple[int, float]],
        pause: Callable[[float], Awaitable[None]],
        wait: float,
    ) -> None:
        self._link = link
        self._ready = ready
        self._attempts = attempts
        self._pause = pause
        self._wait = wait
        self._items: deque[_Queued] = deque()
        self._kick = asyncio.Event()

    def __len__(self) -> int:
        return len(self._items)

    def wake(self) -> None:
        """Try to deliver now (after a boot or reconnect)."""
        self._kick.set()

    def put(
        self,
        action: str,
        build: Callable[[], Payload | None],
        on_result: Callable[[Payload], None] | None = None,
    ) -> None:
        """Queue a message; `build` returns its payload at sending time (None: drop it)."""
        if self._dropped():
            return
        self._items.append(_Queued(action, build, on_result))
        self._kick.set()

    def _dropped(self) -> bool:
        """Fault offline-tx-dropped: forget messages made while offline (breaks 1.6 §3.7, E04)."""
        return not self._ready() and self._link.config.fault("offline-tx-dropped")

    async def send(
        self,
        action: str,
        build: Callable[[], Payload | None],
        on_result: Callable[[Payload], None] | None = None,
    ) -> Payload | None:
        """Queue a message; when online wait, bounded, for its CALLRESULT payload."""
        if self._dropped():
            return None
        item = _Queued(action, build, on_result)
        self._items.append(item)
        self._kick.set()
        if not self._ready():
            return None
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(asyncio.shield(item.done), self._wait)
        return None

    async def run(self) -> None:
        """Deliver whenever there is something to deliver and the CSMS accepted the station."""
        while True:
            await self._kick.wait()
            self._kick.clear()
            while self._items and self._ready():
                if not await self._deliver(self._items[0]):
                    break

    async def _deliver(self, item: _Queued) -> bool:
        """Try the head once; False when the link went down (keep it for later)."""
        payload = item.build()
        if payload is None:
            self._items.popleft().finish(None)
            return True
        answer = await self._link.call(item.action, payload)
        if isinstance(answer, ResultReceived):
            self._items.popleft()
            if item.on_result is not None:
                item.on_result(answer.result.payload)
            item.finish(answer.result.payload)
            return True
        if not isinstance(answer, ErrorReceived) and not self._link.online:
            return False
        item.attempts += 1
        attempts, interval = self._attempts()
        if item.attempts >= attempts:
            log.warning("%s dropped after %d attempts", item.action, item.attempts)
            self._items.popleft().finish(None)
        else:
            await self._pause(interval)
        return True
