"""A small asyncio HTTP/1.1 load generator: N clients, each sending one request after another, for a fixed time.

Only ever aimed at the benchmark's own server on 127.0.0.1; every loop is bounded in time.
"""

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def summary(self) -> dict[str, float | int | str]:
        return {
            "scenario": self.name,
            "requests": self.requests,
            "rps": round(self.throughput, 1),
            "p50": round(self.percentile(50), 1),
            "p95": round(self.percentile(95), 1),
            "p99": round(self.percentile(99), 1),
            "mean": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else float("nan"),
            "errors": self.errors,
        }


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


async def _send(host: str, port: int, request: Request) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in request.headers.items()]
        if request.body or request.method == "POST":
            head.append(f"Content-Length: {len(request.body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + request.body)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # the server closes the connection after the response
        return int(status_line.split()[1])
    finally:
        writer.close()


async def _client(host: str, port: int, make: Callable[[int], Request], until: float, result: Result, n: int) -> None:
    i = 0
    while time.monotonic() < until:
        request = make(n * 1_000_000 + i)
        i += 1
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(_send(host, port, request), timeout=10)
        except (OSError, TimeoutError, IndexError, ValueError):
            result.errors += 1
            continue
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status >= 400:
            result.errors += 1


def run(name: str, host: str, port: int, make: Callable[[int], Request], *, clients: int, seconds: float) -> Result:
    """Runs `clients` concurrent clients for `seconds`; `make(i)` builds the i-th request."""
    assert host.startswith("127."), "load is only ever sent to this machine"
    result = Result(name=name, seconds=seconds)
    until = time.monotonic() + seconds

    async def main() -> None:
        await asyncio.gather(*[_client(host, port, make, until, result, n) for n in range(clients)])

    asyncio.run(main())
    return result
