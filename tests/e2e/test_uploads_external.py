"""External uploads in Chromium: the official client hands each entry to the uploader named in
the presign metadata (registered through ``window.pylive.uploaders``); its progress and errors
come back to the server as ``progress`` events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import TIMEOUT_MS
from e2e.support import ServerProcess, connected, running_app

UPLOADER = """
window.pylive = window.pylive || {};
window.pylive.uploaders = {
  Fake(entries, onViewError) {
    entries.forEach((entry) => {
      if (entry.file.name.startsWith("fail")) { entry.error("boom"); return; }
      window.fakeUploaded = (window.fakeUploaded || []).concat([entry.meta.key]);
      setTimeout(() => entry.progress(50), 10);
      setTimeout(() => entry.progress(100), 50);
    });
  },
};
"""


@pytest.fixture(scope="module")
def external_server(
    client_bundle: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    with running_app(
        "e2e.upload_external_app:app", tmp_path_factory.mktemp("upload_external_app")
    ) as process:
        yield process


@pytest.fixture
def tab(browser: Browser, external_server: ServerProcess) -> Iterator[Page]:
    context = browser.new_context(base_url=external_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(UPLOADER)
    page = context.new_page()
    page.goto("/")
    connected(page)
    yield page
    context.close()


def test_an_external_upload_goes_through_the_registered_uploader(tab: Page, tmp_path: Path) -> None:
    path = tmp_path / "cloud.txt"
    path.write_text("to the cloud")
    tab.set_input_files("input[type=file]", str(path))
    expect(tab.locator("#entries .entry")).to_have_count(1)
    tab.click("#save")
    expect(tab.locator("#saved .saved")).to_have_text("bucket/cloud.txt")
    assert tab.evaluate("window.fakeUploaded") == ["bucket/cloud.txt"]


def test_an_uploader_error_is_external_client_failure(tab: Page, tmp_path: Path) -> None:
    path = tmp_path / "fail.txt"
    path.write_text("nope")
    tab.set_input_files("input[type=file]", str(path))
    expect(tab.locator("#entries .entry")).to_have_count(1)
    tab.click("#save")
    expect(tab.locator("#entries .error")).to_have_text("external_client_failure")
