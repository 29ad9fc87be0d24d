"""The client bundle: how it is built (pylive/client/build.py) and served (pylive.assets)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from htpy import p
from starlette.applications import Starlette
from starlette.routing import Mount

from pylive import Assigns, LiveApp, LiveRoute, LiveView
from pylive.assets import IMMUTABLE, REVALIDATE, ClientAssets, asset_url, asset_version

pytestmark = pytest.mark.anyio

STATIC = Path(__file__).resolve().parents[1] / "pylive" / "client"


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pylive_client_build", STATIC / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bundle() -> Path:
    path: Path = load_builder().build()
    return path


async def fetch(app: object, url: str, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(url, headers=headers)


# --------------------------------------------------------------------------- build


def test_pins_are_exact_and_locked() -> None:
    manifest = json.loads((STATIC / "package.json").read_text())
    lock = json.loads((STATIC / "package-lock.json").read_text())
    pins = {"phoenix": "1.8.16", "phoenix_live_view": "1.2.12"}
    assert manifest["dependencies"] == pins
    for name, version in pins.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")


def test_bundle_is_the_official_builds_verbatim_then_ours(bundle: Path) -> None:
    text = bundle.read_text("utf-8")
    builder = load_builder()
    assert builder.is_fresh()
    assert text.startswith("/*! pylive client bundle, inputs sha256:" + builder.inputs_digest())
    pieces = [
        STATIC / "node_modules/phoenix/priv/static/phoenix.min.js",
        STATIC / "node_modules/phoenix_live_view/priv/static/phoenix_live_view.min.js",
        STATIC / "src/progress.js",
        STATIC / "src/bootstrap.js",
    ]
    positions = [text.index(piece.read_text("utf-8").strip()) for piece in pieces]
    assert positions == sorted(positions)
    assert "Copyright (c) 2014 Chris McCord" in text  # licences travel with the code


def test_build_skips_work_when_fresh(bundle: Path) -> None:
    before = bundle.stat().st_mtime_ns
    load_builder().build(log=pytest.fail)  # logging would mean it rebuilt
    assert bundle.stat().st_mtime_ns == before


def test_digest_covers_our_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    builder = load_builder()
    original = builder.inputs_digest()
    sources = ("src/progress.js", "src/bootstrap.js", "src/preconnect.js")
    for name in ("package.json", "package-lock.json", *sources):
        copy = tmp_path / name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes((STATIC / name).read_bytes())
    (tmp_path / "build.py").write_bytes((STATIC / "build.py").read_bytes())
    monkeypatch.setattr(builder, "STATIC", tmp_path)
    assert builder.inputs_digest() == original
    for name in sources:
        kept = (tmp_path / name).read_bytes()
        (tmp_path / name).write_text("// changed\n")
        assert builder.inputs_digest() != original, name
        (tmp_path / name).write_bytes(kept)


def test_missing_npm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    builder = load_builder()
    monkeypatch.setattr(builder.shutil, "which", lambda _: None)
    with pytest.raises(builder.ClientBuildError, match="needs npm"):
        builder._npm_ci(print)


# --------------------------------------------------------------------------- serving


async def test_plain_url_revalidates_with_etag(bundle: Path) -> None:
    app = LiveApp([], secret_key="k")
    first = await fetch(app, "/live/assets/pylive.js")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/javascript")
    assert first.headers["cache-control"] == REVALIDATE
    etag = first.headers["etag"]
    again = await fetch(app, "/live/assets/pylive.js", **{"if-none-match": etag})
    assert again.status_code == 304
    assert again.headers["cache-control"] == REVALIDATE


async def test_versioned_url_is_immutable(bundle: Path) -> None:
    app = LiveApp([], secret_key="k")
    url = asset_url("/live/assets", "pylive.js")
    assert url == f"/live/assets/pylive.js?v={asset_version('pylive.js')}"
    response = await fetch(app, url)
    assert response.status_code == 200 and response.headers["cache-control"] == IMMUTABLE
    stale = await fetch(app, "/live/assets/pylive.js?v=0000")  # a page from before an upgrade
    assert stale.headers["cache-control"] == REVALIDATE


class Hello(LiveView):
    def render(self, assigns: Assigns) -> Any:
        return p["hello"]


@pytest.mark.parametrize("prefix", ["", "/app"])
async def test_pages_load_the_client_from_its_versioned_immutable_url(
    bundle: Path, prefix: str
) -> None:
    live_app = LiveApp([LiveRoute("/", Hello)], secret_key="k")
    host = Starlette(routes=[Mount(prefix, app=live_app)]) if prefix else live_app
    page = await fetch(host, f"{prefix}/")
    # the preconnect script inline after the socket's meta tags, then the bundle, async
    preconnect = bundle.with_name("pylive-preconnect.js").read_text("utf-8")
    inline = page.text.index(f"<script>{preconnect}</script>")
    assert page.text.index('name="pylive-socket"') < inline
    (src,) = re.findall(r'<script async src="([^"]+)"></script>', page.text)
    assert src == f"{prefix}/live/assets/pylive.js?v={asset_version('pylive.js')}"
    assert inline < page.text.index(src)
    script = await fetch(host, src)
    assert script.status_code == 200 and script.headers["cache-control"] == IMMUTABLE
    assert script.text == bundle.read_text("utf-8")


async def test_a_policy_without_inline_scripts_loads_the_preconnect_script_as_a_file(
    bundle: Path,
) -> None:
    live_app = LiveApp(
        [LiveRoute("/", Hello)], secret_key="k", content_security_policy=("script-src 'self'")
    )
    page = await fetch(live_app, "/")
    preconnect, src = re.findall(r'<script async src="([^"]+)"></script>', page.text)
    name = "pylive-preconnect.js"
    assert preconnect == f"/live/assets/{name}?v={asset_version(name)}"
    assert src == f"/live/assets/pylive.js?v={asset_version('pylive.js')}"
    assert "<script>" not in page.text
    script = await fetch(live_app, preconnect)
    assert script.status_code == 200 and script.headers["cache-control"] == IMMUTABLE
    assert script.text == bundle.with_name(name).read_text("utf-8")


def test_the_preconnect_script_can_be_written_into_a_page(bundle: Path) -> None:
    """Its comment lines are left out (it goes into every page), and nothing in it ends the
    ``<script>`` element or opens an HTML comment there."""
    source = (STATIC / "src" / "preconnect.js").read_text("utf-8")
    built = bundle.with_name("pylive-preconnect.js").read_text("utf-8")
    code = [line for line in source.splitlines() if not line.lstrip().startswith("//")]
    assert len(code) < len(source.splitlines())
    assert built.splitlines() == code
    assert "</script" not in built.lower() and "<!--" not in built


async def test_only_the_built_files_are_served(bundle: Path) -> None:
    app = LiveApp([], secret_key="k")
    for private in ("package.json", "build.py", "src/bootstrap.js", "../static/package.json"):
        assert (await fetch(app, f"/live/assets/{private}")).status_code == 404


async def test_missing_bundle_explains_how_to_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    response = await fetch(ClientAssets(tmp_path), "/pylive.js")
    assert response.status_code == 404
    assert "python pylive/client/build.py" in response.text
    assert "not built" in caplog.text


def test_asset_version_follows_the_content(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("one")
    first = asset_version("a.js", tmp_path)
    (tmp_path / "a.js").write_text("two!")
    assert asset_version("a.js", tmp_path) not in (None, first)
    assert asset_version("missing.js", tmp_path) is None
