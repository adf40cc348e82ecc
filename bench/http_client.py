"""A small HTTP client for benchmarks on loopback: cookies, CSRF, timing. Standard library only."""

import http.client
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Result:
    status: int
    location: str
    body: bytes
    seconds: float


@dataclass
class Browser:
    """One simulated visitor: keeps its cookies like a browser does."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict | None = None) -> Result:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "ostportal-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            reply = conn.getresponse()
            content = reply.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - started
        for header, value in reply.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Result(reply.status, reply.getheader("Location") or "", content, seconds)

    def get(self, path: str) -> Result:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Result:
        return self.request("POST", path, data)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
