"""Promise: the local server (`make serve`, `make devserver`, the tests) serves only the site it
was given and redirects only within it, whatever the path says; a long or odd path gets a status,
never a traceback; a client that goes away is one line."""

import http.client
import socket
import struct
import time

import pytest

from scripts.pages_server import MAX_PATH, serve


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    (folder / "docs").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>Home</h1>")
    (folder / "404.html").write_text("<h1>Not found</h1>")
    (folder / "docs" / "index.html").write_text("<h1>Docs</h1>")
    (folder / "big.html").write_bytes(b"x" * 20_000_000)
    (tmp_path / "secret.txt").write_text("outside the site")
    (folder / "linked.html").symlink_to(tmp_path / "secret.txt")
    (folder / "linked-folder").symlink_to(tmp_path)
    return folder


def get(base, path):
    """(status, Location header, body) of a GET of `path` sent exactly as written."""
    host, port = base.removeprefix("http://").split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    answer = response.status, response.getheader("Location"), response.read()
    connection.close()
    return answer


@pytest.mark.parametrize("sub_path", ["", "/ketamine-guide"])
@pytest.mark.parametrize("trick", ["/%2Fevil.example%2F..", "//evil.example/..", "/%5Cevil.example/..",
                                   "/\\evil.example/..", "/%2F%2Fevil.example", "///evil.example/docs/.."])
def test_no_path_redirects_to_another_host(site, sub_path, trick):
    with serve(site, sub_path) as base:
        status, location, _ = get(base, sub_path + trick)
    assert location is None or (location.startswith("/") and not location.startswith(("//", "/\\"))), location


def test_a_folder_without_its_slash_redirects_within_the_site(site):
    with serve(site, "/ketamine-guide") as base:
        assert get(base, "/ketamine-guide/docs")[:2] == (301, "/ketamine-guide/docs/")
        assert get(base, "/ketamine-guide/docs/")[0] == 200


def test_a_symbolic_link_out_of_the_site_is_not_served(site):
    with serve(site) as base:
        for path in ("/linked.html", "/linked-folder/secret.txt", "/../secret.txt", "/%2E%2E/secret.txt"):
            status, _, body = get(base, path)
            assert (status, b"outside" in body) == (404, False), path


def test_a_long_path_gets_a_status(site, capsys):
    with serve(site) as base:
        assert get(base, "/" + "a" * (MAX_PATH + 1))[0] == 414
        assert get(base, "/" + "a/" * 300 + "b" * 255)[0] == 404
    assert "Traceback" not in capsys.readouterr().err


def test_a_client_that_goes_away_is_one_line(site, capsys):
    with serve(site) as base:
        host, port = base.removeprefix("http://").split(":")
        client = socket.create_connection((host, int(port)))
        client.sendall(b"GET /big.html HTTP/1.1\r\nHost: x\r\n\r\n")
        client.recv(1024)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
        client.close()
        deadline = time.monotonic() + 10
        while "went away" not in (err := capsys.readouterr().err) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert "a client went away before its answer was sent" in err and "Traceback" not in err
