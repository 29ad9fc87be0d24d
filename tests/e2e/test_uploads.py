"""Uploads in Chromium with the official client: real files over ``lvu:`` channels, progress,
previews, cancel, limits, and a byte-identical multi-megabyte file. The 200 MB figure is a
manual run: ``PYLIVE_UPLOAD_MB=200 PYLIVE_GALLERY_UPLOAD_MAX=300000000 pytest -m e2e
tests/e2e/test_uploads.py -k byte_for_byte``."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.support import PNG, ServerProcess, connected


def _tmp_files(server: ServerProcess) -> set[str]:
    """The server's upload files (in its own temporary directory: another run of the suite on
    the machine makes and removes its own)."""
    return {n for n in os.listdir(server.tmp) if n.startswith("pylive-upload-")}


def test_a_file_uploads_with_progress_and_is_consumed_byte_for_byte(
    page: Page, tmp_path: Path, server: ServerProcess
) -> None:
    size = int(os.environ.get("PYLIVE_UPLOAD_MB", "3")) * 1_000_000 + 12_345
    data = os.urandom(size)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    before = _tmp_files(server)
    page.goto("/demos/upload")
    connected(page)
    page.set_input_files("input[type=file]", str(path))
    entry = page.locator("#entries .entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("big.bin")
    # every value the progress bar takes, as the page shows it
    page.evaluate(
        """() => {
          window.seenProgress = [];
          new MutationObserver(() => {
            const bar = document.querySelector("#entries progress");
            if (bar) window.seenProgress.push(Number(bar.getAttribute("value")));
          }).observe(document.body, {subtree: true, attributes: true, childList: true});
        }"""
    )
    page.click("#save")
    saved = page.locator("#saved .saved")
    expect(saved).to_have_count(1, timeout=120_000)
    assert saved.get_attribute("data-sha256") == hashlib.sha256(data).hexdigest()
    expect(saved).to_contain_text(f"big.bin ({size} bytes)")
    expect(entry).to_have_count(0)
    assert _tmp_files(server) <= before  # the temporary file went with the consume
    seen = page.evaluate("window.seenProgress")
    assert any(0 < value < 100 for value in seen), seen  # progress was visible on the way
    assert seen == sorted(seen) and seen[-1] == 100


def test_files_dropped_on_the_drop_zone_upload(page: Page) -> None:
    page.goto("/demos/upload")
    connected(page)
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.items.add(new File(["dropped bytes"], "dropped.txt", {type: "text/plain"}));
          const zone = document.querySelector("#drop-zone");
          zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
        }"""
    )
    expect(page.locator("#entries .entry")).to_contain_text("dropped.txt")
    page.click("#save")
    saved = page.locator("#saved .saved")
    expect(saved).to_have_text("dropped.txt (13 bytes)")
    assert saved.get_attribute("data-sha256") == hashlib.sha256(b"dropped bytes").hexdigest()


def test_image_preview_progress_bar_and_cancel(page: Page, tmp_path: Path) -> None:
    image = tmp_path / "dot.png"
    image.write_bytes(PNG)
    page.goto("/demos/upload")
    connected(page)
    page.set_input_files("input[type=file]", str(image))
    entry = page.locator("#entries .entry")
    expect(entry).to_have_count(1)
    expect(entry.locator("img[data-phx-entry-ref]")).to_have_attribute(
        "src", re.compile("^blob:|^data:")
    )
    expect(entry.locator("progress")).to_have_attribute("value", "0")
    entry.get_by_role("button", name="Cancel dot.png").click()
    expect(entry).to_have_count(0)
    # the input is usable again after a cancel
    page.set_input_files("input[type=file]", str(image))
    expect(entry).to_have_count(1)
    page.click("#save")
    expect(page.locator("#saved .saved")).to_have_count(1)
    assert page.locator("#saved .saved").get_attribute("data-sha256") == (
        hashlib.sha256(PNG).hexdigest()
    )


def test_a_file_over_the_limit_is_refused_with_an_error(page: Page, tmp_path: Path) -> None:
    big = tmp_path / "huge.bin"
    with big.open("wb") as file:
        file.truncate(20_000_001)
    page.goto("/demos/upload")
    connected(page)
    page.set_input_files("input[type=file]", str(big))
    entry = page.locator("#entries .entry")
    expect(entry.get_by_role("alert")).to_have_text("The file is too large (20 MB at most).")
    entry.get_by_role("button", name="Cancel huge.bin").click()
    expect(entry).to_have_count(0)


def test_too_many_files_is_an_upload_error(page: Page, tmp_path: Path) -> None:
    paths = []
    for i in range(4):
        p = tmp_path / f"f{i}.txt"
        p.write_text(f"file {i}")
        paths.append(str(p))
    page.goto("/demos/upload")
    connected(page)
    page.set_input_files("input[type=file]", paths)
    expect(page.locator("#upload-form > .error")).to_have_text("Too many files (3 at most).")


def _start_big_upload(
    page: Page, tmp_path: Path, server: ServerProcess, *, auto: bool = False
) -> set[str]:
    """Choose a 15 MB file, submit (unless ``auto``: it starts at once), and wait until part of
    it arrived; returns the temp files there were before."""
    path = tmp_path / "slow.bin"
    path.write_bytes(os.urandom(15_000_000))
    before = _tmp_files(server)
    page.goto("/demos/upload?auto=1" if auto else "/demos/upload")
    connected(page)
    page.set_input_files("input[type=file]", str(path))
    expect(page.locator("#entries .entry")).to_have_count(1)
    if not auto:
        page.click("#save")
    page.wait_for_function(
        "() => Number(document.querySelector('#entries progress')?.getAttribute('value')) > 0"
    )
    assert len(_tmp_files(server) - before) == 1  # what arrived is in the server's file
    return before


def _wait_no_new_tmp_files(server: ServerProcess, before: set[str]) -> None:
    import time

    deadline = time.monotonic() + 10
    while _tmp_files(server) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _tmp_files(server) - before == set()


def test_cancelling_mid_upload_stops_it_and_leaves_no_file(
    page: Page, tmp_path: Path, server: ServerProcess
) -> None:
    # an auto upload: during a submit the client disables the form's buttons
    before = _start_big_upload(page, tmp_path, server, auto=True)
    page.get_by_role("button", name="Cancel slow.bin").click()
    expect(page.locator("#entries .entry")).to_have_count(0)
    _wait_no_new_tmp_files(server, before)
    expect(page.locator("#saved .saved")).to_have_count(0)


def test_auto_upload_starts_on_choosing_and_submit_consumes(page: Page, tmp_path: Path) -> None:
    path = tmp_path / "auto.txt"
    path.write_bytes(b"sent at once")
    page.goto("/demos/upload?auto=1")
    connected(page)
    assert page.get_attribute("input[type=file]", "data-phx-auto-upload") is not None
    page.set_input_files("input[type=file]", str(path))
    expect(page.locator("#entries progress")).to_have_attribute("value", "100")
    page.click("#save")
    expect(page.locator("#saved .saved")).to_have_text("auto.txt (12 bytes)")


def test_closing_the_tab_mid_upload_leaves_no_file(
    page: Page, tmp_path: Path, server: ServerProcess
) -> None:
    before = _start_big_upload(page, tmp_path, server)
    page.close()
    _wait_no_new_tmp_files(server, before)
