"""The nginx front of `make loadtest` (two gunicorn processes behind one address): its
configuration comes from deploy/nginx-ostportal.conf, a refused connection is retried on the
other process, and a request no process could answer gets the try-again page with 503."""

import http.server
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from loadtest.run import front_log, nginx_config

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
needs_nginx = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_config_takes_the_production_upstream_and_location(tmp_path):
    conf = nginx_config(tmp_path, 58900, [58901, 58902])
    assert "server 127.0.0.1:58901 max_fails=0;" in conf
    assert "server 127.0.0.1:58902 max_fails=0;" in conf
    assert "127.0.0.1:8000" not in conf  # the production server line is replaced
    assert "keepalive 32;" in conf
    assert "proxy_pass http://ostportal_web;" in conf
    assert "error_page 502 504 =503 /try-again.html;" in conf
    assert "Please try again in a minute" in conf
    # The plain-HTTP server's one-line redirect is not taken for `location /`.
    assert "return 301" not in conf


@needs_nginx
def test_nginx_accepts_the_generated_config(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config(tmp_path, _free_port(), [_free_port(), _free_port()]))
    result = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b"served by the live process"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def front(tmp_path):
    """nginx on a free port in front of two upstream ports: one live, one with nothing on it."""
    live = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=live.serve_forever, daemon=True).start()
    dead_port, port = _free_port(), _free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config(tmp_path, port, [dead_port, live.server_address[1]]))
    proc = subprocess.Popen([NGINX, "-c", str(conf)], stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield SimpleNamespace(base=f"http://127.0.0.1:{port}", live=live, tmp=tmp_path)
    proc.terminate()
    proc.wait(timeout=10)
    live.shutdown()


@needs_nginx
def test_a_dead_process_costs_no_request_and_none_left_gives_the_try_again_page(front):
    for _ in range(6):  # round robin: half of these go to the dead port first
        with urllib.request.urlopen(front.base + "/survey/", timeout=10) as reply:
            assert reply.status == 200
            assert reply.read() == b"served by the live process"
    front.live.shutdown()
    front.live.server_close()
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(front.base + "/survey/", timeout=10)
    assert failed.value.code == 503
    assert failed.value.headers["Retry-After"] == "60"
    assert "Please try again in a minute" in failed.value.read().decode()
    # The harness reads the same log: retried requests and the one answered with the page.
    # nginx writes a request's log line after its response went out: wait for the last one.
    for _ in range(50):
        counts = front_log(SimpleNamespace(tmp=front.tmp))
        if counts.get("cut_off_try_again_page"):
            break
        time.sleep(0.1)
    assert counts["retried_on_other_process"] >= 3
    assert counts["cut_off_try_again_page"] == {"GET": 1}
