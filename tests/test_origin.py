"""The Origin check of the live socket, with Phoenix's ``check_origin`` semantics."""

from __future__ import annotations

import pytest

from pylive import LiveApp
from pylive.transport.origin import OriginCheck


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://testserver", "testserver", True),
        ("https://shop.example", "shop.example", True),
        ("http://localhost:8000", "localhost:8000", True),
        ("http://LOCALHOST:8000", "localhost:8000", True),
        ("http://localhost:8001", "localhost:8000", False),
        ("http://evil.example", "shop.example", False),
        ("http://shop.example.evil.example", "shop.example", False),
        ("null", "shop.example", False),
        ("http://[", "shop.example", False),
    ],
)
def test_by_default_the_origin_is_the_requests_own_host(
    origin: str, host: str, allowed: bool
) -> None:
    assert OriginCheck(None).allows(origin, host) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://shop.example", True),
        ("https://shop.example:443", True),  # the scheme's default port
        ("http://shop.example", False),  # another scheme
        ("https://shop.example:8443", False),  # another port
        ("http://admin.example", True),  # "//admin.example": any scheme and port
        ("https://admin.example:9000", True),
        ("https://cdn.wild.example", True),  # "//*.wild.example": subdomains...
        ("https://wild.example", True),  # ...and the domain itself
        ("https://notwild.example", False),
        ("https://evil.example", False),
    ],
)
def test_a_list_of_origins_as_phoenix_reads_it(origin: str, allowed: bool) -> None:
    check = OriginCheck(["https://shop.example", "//admin.example", "//*.wild.example"])
    assert check.allows(origin, "ignored.example") is allowed


def test_star_allows_any_origin_and_an_entry_without_host_is_an_error() -> None:
    assert OriginCheck(["*"]).allows("null", "x")
    with pytest.raises(ValueError, match="no host"):
        LiveApp([], allowed_origins=["shop.example"])
