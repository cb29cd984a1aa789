"""Being a polite and safe guest: per-host pacing, robots.txt, and refusing private addresses.

Each piece has one job and is shared by every source of a run, because sources are crawled in
parallel threads and two sources may live on one host: the pacing and the robots rules belong to
the host, not to the source.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from protego import Protego

ROBOTS_AGENT = "claimtrail"
"""The product token matched against robots.txt `User-agent` lines."""

Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for `host` (empty when it cannot resolve)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def private_address(host: str, resolver: Resolver | None) -> str | None:
    """Why `host` must not be fetched (a private, loopback, link-local… address), or None.

    IP literals are always checked; names only when a resolver is given (replay mode passes none:
    no DNS offline). A name that does not resolve is left to fail as a connection error.
    """
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        if resolver is None:
            return None
        addresses = []
        for text in resolver(host):
            try:
                addresses.append(ipaddress.ip_address(text.split("%")[0]))
            except ValueError:
                continue
    for address in addresses:
        if not address.is_global or address.is_multicast:
            return f"{host} resolves to {address}, which is not a public address"
    return None


class HostThrottle:
    """At most one request per `delay` seconds to each host, across all threads of a run."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, host: str, delay: float) -> float:
        """Block until `host` may be asked again; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + max(delay, 0.0)
        waited = slot - now
        if waited > 0:
            time.sleep(waited)
        return waited


@dataclass(frozen=True)
class RobotsRules:
    """One host's robots.txt, parsed (an absent file allows everything)."""

    parser: Protego | None

    def allows(self, url: str) -> bool:
        return self.parser is None or self.parser.can_fetch(url, ROBOTS_AGENT)

    @property
    def crawl_delay(self) -> float:
        if self.parser is None:
            return 0.0
        return float(self.parser.crawl_delay(ROBOTS_AGENT) or 0.0)


ALLOW_ALL = RobotsRules(None)
DISALLOW_ALL = RobotsRules(Protego.parse("User-agent: *\nDisallow: /\n"))


def robots_rules(status: int, body: bytes, reachable: bool) -> RobotsRules:
    """RFC 9309: 2xx is parsed, 4xx allows everything, 5xx or no answer disallows everything."""
    if not reachable or status >= 500:
        return DISALLOW_ALL
    if 200 <= status < 300:
        return RobotsRules(Protego.parse(body.decode("utf-8", errors="replace")))
    return ALLOW_ALL
