import socket

import pytest
from citysoc_agent.checks import connections
from citysoc_agent.checks.base import Context, Skip

from tests.agent.support import FIXTURES

pytest.importorskip("psutil")


@pytest.fixture
def c2_connection():
    """A live TCP connection to 127.0.0.5, which the tests' indicator list calls a C2."""
    server = socket.create_server(("127.0.0.5", 0))
    client = socket.create_connection(server.getsockname(), source_address=("127.0.0.1", 0))
    accepted, _ = server.accept()
    yield server.getsockname()
    for s in (client, accepted, server):
        s.close()


def test_it_finds_this_process_talking_to_a_listed_c2(c2_connection):
    ctx = Context(job={"indicators": {"version": "2024-01", "addresses": ["127.0.0.5"]}})
    found = connections.run(connections.prepare(ctx), None)
    remote = f"127.0.0.5:{c2_connection[1]}"
    ours = [f for f in found if f.remote == remote]
    assert [(f.kind, f.score) for f in ours] == [("connection", 100)]
    assert ours[0].process and ours[0].detail["list"] == "2024-01"
    assert ctx.summary["connections"]["checked"] >= 1


def test_it_matches_dns_cache_names_and_their_subdomains():
    names = connections.parse_displaydns((FIXTURES / "connections/displaydns.txt").read_text())
    assert names == ["c2.botnet.example", "portal.tamdiep.example"]
    assert connections._listed("c2.botnet.example", {"botnet.example"})
    assert not connections._listed("portal.tamdiep.example", {"botnet.example"})


def test_it_skips_when_the_list_has_no_c2():
    with pytest.raises(Skip, match="no C2"):
        connections.prepare(Context(job={"indicators": {"addresses": ["not an ip"]}}))
