"""`review --serve --host 0.0.0.0` prints addresses other people can open (the machine's name and its
non-loopback addresses, each with the token), not 127.0.0.1, and keeps the warning about sharing it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import ROOT
from review_fixtures import extract, unplaced_reply

CODE = "import sys; from cli import main; sys.argv = ['pecs-extract', *sys.argv[1:]]; main()"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("0.0.0.0", 0))
        return probe.getsockname()[1]


def _page(url: str) -> str:
    """The page at `url` as a browser gets it (the token kept as a cookie), directly (no proxy), once it listens."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor())
    deadline = time.monotonic() + 30
    while True:
        try:
            with opener.open(url, timeout=20) as page:
                return page.read().decode("utf-8")
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_desk_on_every_interface_prints_addresses_others_can_open_with_the_token(tmp_path):
    inputs, out = tmp_path / "raw", tmp_path / "structured"
    inputs.mkdir()
    unplaced_reply(inputs / "reponse.docx")
    extract(inputs, out)
    port = _free_port()
    command = [sys.executable, "-c", CODE, "review", str(out), "--serve", "--host", "0.0.0.0", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
        while "Anyone on the network" not in lines[-1]:
            lines.append(server.stdout.readline())
            assert len(lines) < 20 and server.poll() is None, "".join(lines)
        shown = "".join(lines)
        urls = [word for line in lines for word in line.split() if word.startswith("http://")]
        assert "127.0.0.1" not in shown and urls and urls[0].startswith(f"http://{socket.gethostname()}:{port}/")
        assert all("?token=" in url for url in urls) and "share it with care" in shown
        for url in urls[1:]:  # each address given answers, the token letting the visitor in
            assert "desk.js" in _page(url)
    finally:
        server.terminate()
        server.wait(timeout=20)
