"""Compressed responses (pylive.compression) and the precompressed client bundle (pylive.assets)."""

from __future__ import annotations

import gzip
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import anyio
import brotli
import httpx
import pytest
from hypercorn.config import Config
from live_apps import make_app
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Mount, Route
from test_assets import load_builder

from pylive import LiveApp
from pylive.assets import IMMUTABLE, REVALIDATE, ClientAssets, asset_url
from pylive.cli import serve
from pylive.compression import (
    MINIMUM_SIZE,
    Compression,
    CompressionMiddleware,
    accepted_encodings,
)
from pylive.testing import live

pytestmark = pytest.mark.anyio

BIG_HTML = "<!doctype html><ul>" + "".join(f"<li>item {i}</li>" for i in range(400)) + "</ul>"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


async def big_page(request: Request) -> HTMLResponse:
    return HTMLResponse(BIG_HTML)


async def tiny(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok" * (MINIMUM_SIZE // 2 - 1))


async def streamed(request: Request) -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(50):
            yield f"<p>chunk {i}</p>".encode() * 20

    return StreamingResponse(chunks(), media_type="text/html")


def user_app(**kw: bool | Compression) -> LiveApp:
    """The counter app plus ordinary Starlette routes of the user's."""
    app = make_app(**kw)
    app.router.routes += [Route("/big", big_page), Route("/tiny", tiny), Route("/stream", streamed)]
    return app


async def get(
    app: object, url: str, accept: str | None, **headers: str
) -> tuple[httpx.Response, bytes]:
    """The response to GET ``url`` (``Accept-Encoding: accept``, or none at all) and its body
    as it came over the wire, not decoded."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        request = client.build_request("GET", url, headers=headers)
        if accept is None:
            del request.headers["accept-encoding"]
        else:
            request.headers["accept-encoding"] = accept
        response = await client.send(request, stream=True)
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
        await response.aclose()
        return response, raw


def vary(response: httpx.Response) -> list[str]:
    return [
        v.strip().lower() for line in response.headers.get_list("vary") for v in line.split(",")
    ]


# --------------------------------------------------------------------------- dynamic responses


@pytest.mark.parametrize("encoding", ["gzip", "br"])
async def test_pages_and_user_routes_are_compressed(encoding: str) -> None:
    app = user_app()
    response, raw = await get(app, "/big", encoding)
    assert response.headers["content-encoding"] == encoding
    assert vary(response) == ["accept-encoding"]
    assert int(response.headers["content-length"]) == len(raw) < len(BIG_HTML) // 4
    assert DECODE[encoding](raw).decode() == BIG_HTML

    page, raw = await get(app, "/", encoding)  # the dead render of a LiveView
    assert page.status_code == 200 and page.headers["content-encoding"] == encoding
    html = DECODE[encoding](raw).decode()
    assert "data-phx-main" in html and "Count: 0" in html
    assert "_pylive_csrf" in page.headers["set-cookie"]


async def test_brotli_is_preferred_and_q0_refuses() -> None:
    app = user_app()
    for accept, expected in [
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", None),
        ("identity", None),
        ("deflate", None),
    ]:
        response, raw = await get(app, "/big", accept)
        assert response.headers.get("content-encoding") == expected, accept
        assert (DECODE[expected](raw) if expected else raw).decode() == BIG_HTML


async def test_no_accept_encoding_no_compression() -> None:
    response, raw = await get(user_app(), "/big", None)
    assert "content-encoding" not in response.headers
    assert raw.decode() == BIG_HTML
    assert vary(response) == ["accept-encoding"]  # a shared cache must not reuse it for br


async def test_tiny_bodies_go_out_as_they_are() -> None:
    response, raw = await get(user_app(), "/tiny", "br, gzip")
    assert "content-encoding" not in response.headers and len(raw) == MINIMUM_SIZE - 2


async def test_compress_false_turns_it_off() -> None:
    app = user_app(compress=False)
    assert not any(cast(object, m.cls) is CompressionMiddleware for m in app.user_middleware)
    for url in ("/", "/big"):
        response, _ = await get(app, url, "br, gzip")
        assert "content-encoding" not in response.headers


async def test_compression_settings_tune_size_threshold_and_levels() -> None:
    # a higher threshold leaves the 498-byte body alone, a lower one compresses it
    app = user_app(compress=Compression(minimum_size=100))
    response, raw = await get(app, "/tiny", "gzip")
    assert response.headers["content-encoding"] == "gzip" and DECODE["gzip"](raw)
    response, _ = await get(user_app(compress=Compression(minimum_size=10_000)), "/big", "br")
    assert "content-encoding" not in response.headers
    # the levels reach the compressors: each body is as long as that level makes it
    body = BIG_HTML.encode()
    for level, quality in ((1, 0), (9, 11)):
        app = user_app(compress=Compression(gzip_level=level, brotli_quality=quality))
        expected = {
            "gzip": len(gzip.compress(body, compresslevel=level)),
            "br": len(brotli.compress(body, quality=quality)),
        }
        for encoding in ("gzip", "br"):
            response, raw = await get(app, "/big", encoding)
            assert DECODE[encoding](raw) == body
            assert len(raw) == expected[encoding], (encoding, level, quality)


@pytest.mark.parametrize(
    "bad", [{"minimum_size": -1}, {"gzip_level": 0}, {"gzip_level": 10}, {"brotli_quality": 12}]
)
def test_compression_settings_are_checked(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        Compression(**bad)


@pytest.mark.parametrize("encoding", ["gzip", "br"])
async def test_streaming_responses_stay_streamed_and_decode(encoding: str) -> None:
    response, raw = await get(user_app(), "/stream", encoding)
    assert response.headers["content-encoding"] == encoding
    assert "content-length" not in response.headers
    expected = "".join(f"<p>chunk {i}</p>" * 20 for i in range(50))
    assert DECODE[encoding](raw).decode() == expected


@pytest.mark.parametrize("prefix", ["/app", ""])
async def test_mounted_app_compresses_its_own_responses_once(prefix: str) -> None:
    # the host compresses too: its GZipMiddleware must leave pylive's br response alone
    host = Starlette(
        routes=[Mount(prefix or "/", app=user_app())],
        middleware=[Middleware(GZipMiddleware)],
    )
    response, raw = await get(host, f"{prefix}/big", "gzip, br")
    assert response.headers.get_list("content-encoding") == ["br"]
    assert brotli.decompress(raw).decode() == BIG_HTML
    assert vary(response) == ["accept-encoding"]


async def test_websocket_works_through_the_middleware() -> None:
    app = make_app()
    assert cast(object, app.user_middleware[0].cls) is CompressionMiddleware  # on by default
    async with live(app, "/") as view:
        await view.click("button")
        assert "Count: 1" in view.html()


def test_accepted_encodings() -> None:
    assert accepted_encodings("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted_encodings(" BR ;q=0.5 , gzip;q=0 ,, identity;q=0.0") == {"br"}
    assert accepted_encodings("gzip;q=bogus") == {"gzip"}
    assert accepted_encodings("") == set()


# --------------------------------------------------------------------------- the client bundle


@pytest.fixture(scope="module")
def bundle() -> Path:
    path: Path = load_builder().build()
    return path


@pytest.mark.parametrize("name", ["pylive.js", "pylive-preconnect.js"])
def test_build_writes_compressed_copies_of_each_script(bundle: Path, name: str) -> None:
    script = bundle.with_name(name)
    data = script.read_bytes()
    gz, br = script.with_name(f"{name}.gz"), script.with_name(f"{name}.br")
    assert gzip.decompress(gz.read_bytes()) == data
    assert brotli.decompress(br.read_bytes()) == data
    assert len(br.read_bytes()) < len(gz.read_bytes()) < len(data) * 0.6
    builder = load_builder()
    assert {script, gz, br} <= set(builder.OUTPUTS) and builder.is_fresh()
    assert builder.OUTPUTS[-1] == bundle  # written last: its stamp vouches for the others


@pytest.mark.parametrize("missing", ["pylive.js.br", "pylive-preconnect.js"])
def test_a_missing_output_makes_the_build_stale(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    builder = load_builder()
    outputs = [tmp_path / missing if path.name == missing else path for path in builder.OUTPUTS]
    monkeypatch.setattr(builder, "OUTPUTS", tuple(outputs))
    assert not builder.is_fresh()


@pytest.mark.parametrize("name", ["pylive.js", "pylive-preconnect.js"])
@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("encoding", ["gzip", "br"])
async def test_client_script_served_precompressed(
    bundle: Path, encoding: str, compress: bool, name: str
) -> None:
    script = bundle.with_name(name)
    app = LiveApp([], secret_key="k", compress=compress)
    url = asset_url("/live/assets", name)
    response, raw = await get(app, url, encoding if encoding == "gzip" else "gzip, br")
    assert response.status_code == 200
    assert response.headers.get_list("content-encoding") == [encoding]  # not compressed twice
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == IMMUTABLE
    assert vary(response) == ["accept-encoding"]
    suffix = {"gzip": ".gz", "br": ".br"}[encoding]
    assert raw == script.with_name(name + suffix).read_bytes()
    assert int(response.headers["content-length"]) == len(raw)
    assert DECODE[encoding](raw) == script.read_bytes()


async def test_client_script_uncompressed_without_accept_encoding(bundle: Path) -> None:
    app = LiveApp([], secret_key="k")
    response, raw = await get(app, "/live/assets/pylive.js", None)
    assert "content-encoding" not in response.headers
    assert raw == bundle.read_bytes()
    assert vary(response) == ["accept-encoding"]
    for copy in ("pylive.js.br", "pylive.js.gz"):  # only ever sent as pylive.js
        assert (await get(app, f"/live/assets/{copy}", "br, gzip"))[0].status_code == 404


@pytest.mark.parametrize("accept", [None, "gzip", "br"])
async def test_unversioned_script_revalidates_per_encoding(
    bundle: Path, accept: str | None
) -> None:
    app = LiveApp([], secret_key="k")
    url = "/live/assets/pylive.js"
    first, _ = await get(app, url, accept)
    assert first.status_code == 200 and first.headers["cache-control"] == REVALIDATE
    etag = first.headers["etag"]
    again, raw = await get(app, url, accept, **{"if-none-match": etag})
    assert again.status_code == 304 and raw == b""
    assert again.headers["etag"] == etag and again.headers["cache-control"] == REVALIDATE
    assert vary(again) == ["accept-encoding"]
    etags = set()
    for other in (None, "gzip", "br"):  # each encoding is its own representation
        response, _ = await get(app, url, other)
        etags.add(response.headers["etag"])
    assert len(etags) == 3


async def test_a_copy_that_does_not_match_is_not_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    script = "console.log('current');\n" * 100
    (tmp_path / "a.js").write_text(script)
    (tmp_path / "a.js.gz").write_bytes(gzip.compress(b"an older build"))
    (tmp_path / "a.js.br").write_bytes(b"not brotli at all")
    response, raw = await get(ClientAssets(tmp_path), "/a.js", "gzip, br")
    assert "content-encoding" not in response.headers and raw.decode() == script
    assert "does not match" in caplog.text
    (tmp_path / "a.js.gz").write_bytes(gzip.compress(script.encode()))
    response, raw = await get(ClientAssets(tmp_path), "/a.js", "gzip, br")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw).decode() == script


# --------------------------------------------------------------------------- real server


async def test_compressed_over_hypercorn(bundle: Path) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port = sock.getsockname()[1]
    config = Config()
    config.bind = [f"fd://{sock.detach()}"]
    config.graceful_timeout = 2
    stop = anyio.Event()
    base = f"http://127.0.0.1:{port}"
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: serve(user_app(), config, stop=stop.wait))
        headers = {"accept-encoding": "br"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            page = await client.get("/")
            assert page.headers["content-encoding"] == "br" and "data-phx-main" in page.text
            big = await client.get("/big")
            assert big.headers["content-encoding"] == "br" and big.text == BIG_HTML
            script = await client.get(asset_url("/live/assets", "pylive.js"))
            assert script.headers["content-encoding"] == "br"
            assert script.content == bundle.read_bytes()  # httpx decoded it
        stop.set()
