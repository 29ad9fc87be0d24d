"""Uploads in-process, over the real socket and channels, as the official client sends them
(``pylive.testing``'s ``View.upload``): preflight, ``lvu:`` channels, binary chunks, progress,
consume, cancel, limits (on the server, whatever the client claims) and no temporary file left
behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, ClassVar

import htpy as h
import pytest

from pylive import (
    Assigns,
    ComponentSocket,
    LiveApp,
    LiveComponent,
    LiveRoute,
    LiveView,
    Socket,
    UploadEntry,
    live_component,
    live_file_input,
    live_img_preview,
    upload_errors,
)
from pylive.testing import UploadFile, View, live
from pylive.testing.uploads import entries_of, send_entries

pytestmark = pytest.mark.anyio


class Uploader(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(saved=[], progressed=[])
        socket.allow_upload(
            "docs",
            accept=[".txt", "image/*"],
            max_entries=2,
            max_file_size=1000,
            chunk_size=100,
            progress=self.on_progress,
        )

    async def on_progress(self, name: str, entry: UploadEntry, socket: Socket) -> None:
        socket.assign(progressed=[*socket.assigns.progressed, (name, entry.progress)])

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "cancel":
            socket.cancel_upload("docs", params["ref"])
        elif event == "save":

            def read(path: Path, entry: UploadEntry) -> tuple[str, bytes]:
                return entry.client_name, path.read_bytes()

            saved = await socket.consume_uploaded_entries("docs", read)
            socket.assign(saved=[*socket.assigns.saved, *saved])

    def render(self, assigns: Assigns) -> h.Element:
        docs = assigns.uploads.docs
        return h.div[
            h.form("#f", phx_change="validate", phx_submit="save")[
                live_file_input(docs),
                h.p("#config-errors")[" ".join(upload_errors(docs))],
                h.ul[
                    (
                        h.li(".entry", id=f"e{e.ref}")[
                            e.client_name,
                            h.span(".progress")[str(e.progress)],
                            h.span(".errors")[" ".join(upload_errors(docs, e))],
                            live_img_preview(e),
                        ]
                        for e in docs.entries
                    )
                ],
                h.button(type="submit")["Save"],
            ],
            h.ul("#saved")[(h.li[name, ":", str(len(data))] for name, data in assigns.saved)],
        ]


def make_app() -> LiveApp:
    return LiveApp([LiveRoute("/", Uploader)], secret_key="upload-secret")


def entry_ref(view: View) -> str:
    """The ref of the (first) entry on the page."""
    return str(view.element("li.entry").attr("id"))[1:]


@pytest.fixture(autouse=True)
def own_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The uploads of each test go to a directory of its own: another run of the suite on the
    same machine (CI runs two at once) makes and removes upload files in the shared one."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def temp_files() -> set[str]:
    return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("pylive-upload-")}


async def test_upload_progress_and_consume_byte_for_byte() -> None:
    before = temp_files()
    content = os.urandom(950)
    async with live(make_app(), "/") as view:
        response = await view.upload("input[type=file]", [UploadFile("a.txt", content)])
        assert response["config"]["chunk_size"] == 100
        assert list(response["entries"]) == [entry_ref(view)]
        assert view.element(".progress").text == "100"
        assert view.assigns["progressed"][-1] == ("docs", 100)
        assert len(view.assigns["progressed"]) == 10  # one per chunk
        assert len(temp_files() - before) == 1
        done = view.element("input[type=file]")
        assert done.attr("data-phx-done-refs") == done.attr("data-phx-preflighted-refs") != ""
        await view.submit("#f")
        assert view.element("#saved").text == "a.txt:950"
        assert not view.has_element("li.entry")
        assert temp_files() == before


async def test_partial_upload_then_cancel_removes_the_file() -> None:
    before = temp_files()
    async with live(make_app(), "/") as view:
        await view.upload("input[type=file]", [UploadFile("a.txt", b"x" * 1000)], percent=30)
        assert view.element(".progress").text == "30"
        assert len(temp_files() - before) == 1
        ref = entry_ref(view)
        await view.push("cancel", {"ref": ref})
        assert not view.has_element("li.entry")
        assert temp_files() == before
        assert view.element("input[type=file]").attr("data-phx-active-refs") == ""


async def test_the_view_ending_mid_upload_leaves_no_file() -> None:
    before = temp_files()
    async with live(make_app(), "/") as view:
        await view.upload("input[type=file]", [UploadFile("a.txt", b"x" * 1000)], percent=50)
        assert len(temp_files() - before) == 1
    assert temp_files() == before


@pytest.mark.parametrize(
    ("file", "error"),
    [
        (UploadFile("big.txt", b"x" * 1001), "too_large"),
        (UploadFile("a.exe", b"MZ"), "not_accepted"),
    ],
)
async def test_entries_over_the_limits_are_refused(file: UploadFile, error: str) -> None:
    async with live(make_app(), "/") as view:
        response = await view.upload("input[type=file]", [file])
        ref = entry_ref(view)
        assert response["error"] == [[ref, error]]
        assert view.element(".errors").text == error
        assert view.element(".progress").text == "0"


async def test_too_many_files_is_a_config_error() -> None:
    async with live(make_app(), "/") as view:
        files = [UploadFile(f"{i}.txt", b"x") for i in range(3)]
        response = await view.upload("input[type=file]", files)
        upload_ref = view.element("input[type=file]").attr("id")
        assert response["error"] == [[upload_ref, "too_many_files"]]
        assert view.element("#config-errors").text == "too_many_files"


async def test_the_server_counts_the_bytes_whatever_the_client_declared() -> None:
    before = temp_files()
    async with live(make_app(), "/") as view:
        field = view.element("input[type=file]")
        upload_ref = str(field.attr("data-phx-upload-ref"))
        entries = entries_of([UploadFile("a.txt", b"x" * 150)], "docs")
        await view._change(view.element("#f"), field, {}, uploads={upload_ref: entries})
        with pytest.raises(AssertionError, match="file_size_limit_exceeded"):
            await send_entries(view, upload_ref, entries, [UploadFile("a.txt", b"x" * 300)], 100)
        assert temp_files() == before


async def test_an_upload_channel_needs_a_valid_token() -> None:
    async with live(make_app(), "/") as view:
        field = view.element("input[type=file]")
        upload_ref = str(field.attr("data-phx-upload-ref"))
        entries = entries_of([UploadFile("a.txt", b"hello")], "docs")
        await view._change(view.element("#f"), field, {}, uploads={upload_ref: entries})
        with pytest.raises(AssertionError, match="invalid_token"):
            from pylive.testing.uploads import _upload_one

            await _upload_one(view, upload_ref, entries[0]["ref"], "forged", b"hello", 100, 100)


async def test_live_file_input_markup() -> None:
    async with live(make_app(), "/") as view:
        field = view.element("input[type=file]")
        assert field.attr("id") == field.attr("data-phx-upload-ref")
        assert str(field.attr("id")).startswith("phx-")
        assert field.attr("name") == "docs"
        assert field.attr("accept") == ".txt,image/*"
        assert field.attr("data-phx-hook") == "Phoenix.LiveFileUpload"
        assert field.attr("data-phx-update") == "ignore"
        assert field.attr("multiple") is not None
        assert field.attr("data-phx-auto-upload") is None
        await view.upload("input[type=file]", [UploadFile("p.png", b"\x89PNG")], percent=0)
        img = view.element("img")
        ref = entry_ref(view)
        assert img.attr("id") == f"phx-preview-{ref}"
        assert img.attr("data-phx-hook") == "Phoenix.LiveImgPreview"
        assert img.attr("data-phx-upload-ref") == field.attr("id")


class External(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(saved=[])

        async def presign(entry: UploadEntry, socket: Socket) -> dict[str, Any]:
            return {"uploader": "S3", "url": "https://bucket.example", "key": entry.client_name}

        socket.allow_upload("pics", accept=None, external=presign, auto_upload=True)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "save":

            def keep(path: Path | None, entry: UploadEntry) -> Any:
                return [path, entry.meta]

            socket.assign(saved=await socket.consume_uploaded_entries("pics", keep))

    def render(self, assigns: Assigns) -> h.Element:
        pics = assigns.uploads.pics
        return h.form("#f", phx_change="validate", phx_submit="save")[
            live_file_input(pics),
            # rows reading only their entry: the engine reuses a row for the same item, so each
            # change must come as a new entry object
            h.p("#errors")[[" ".join(e.errors) for e in pics.entries]],
            h.p("#progress")[[str(e.progress) for e in pics.entries]],
            h.p("#saved")[repr(assigns.saved)],
        ]


async def test_external_upload_gets_the_presigned_meta_and_consumes_without_a_file() -> None:
    app = LiveApp([LiveRoute("/", External)], secret_key="upload-secret")
    async with live(app, "/") as view:
        assert view.element("input[type=file]").attr("data-phx-auto-upload") is not None
        response = await view.upload("input[type=file]", [UploadFile("cat.png", b"meow")])
        meta = {"uploader": "S3", "url": "https://bucket.example", "key": "cat.png"}
        assert list(response["entries"].values()) == [meta]
        assert view.element("#progress").text == "100"
        await view.submit("#f")
        assert view.element("#saved").text == repr([[None, meta]])


async def test_an_external_uploader_failure_is_an_entry_error() -> None:
    from pylive.testing.uploads import report_progress

    app = LiveApp([LiveRoute("/", External)], secret_key="upload-secret")
    async with live(app, "/") as view:
        await view.upload("input[type=file]", [UploadFile("cat.png", b"meow")], percent=0)
        field = view.element("input[type=file]")
        ref = str(field.attr("data-phx-active-refs"))
        await report_progress(view, str(field.attr("id")), ref, {"error": "network"})
        assert view.element("#errors").text == "external_client_failure"


class Slow(Uploader):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        await super().mount(socket, params, session)
        socket.allow_upload(
            "docs", accept=None, max_file_size=1000, chunk_size=100, chunk_timeout=0.1
        )


async def test_a_stalled_upload_is_dropped_after_the_chunk_timeout() -> None:
    import anyio

    before = temp_files()
    app = LiveApp([LiveRoute("/", Slow)], secret_key="upload-secret")
    async with live(app, "/") as view:
        await view.upload("input[type=file]", [UploadFile("a.txt", b"x" * 1000)], percent=20)
        assert len(temp_files() - before) == 1
        with anyio.fail_after(10):  # the chunk timeout is 0.1 s; a busy machine takes longer
            while temp_files() != before:
                await anyio.sleep(0.01)


class AttachmentBox(LiveComponent):
    async def mount(self, socket: ComponentSocket) -> None:
        socket.assign(saved=[])
        socket.allow_upload("attachment", accept=[".txt"], max_file_size=100, chunk_size=10)

    async def handle_event(
        self, socket: ComponentSocket, event: str, params: dict[str, Any]
    ) -> None:
        if event == "save":

            def read(path: Path, entry: UploadEntry) -> str:
                return path.read_text()

            socket.assign(saved=await socket.consume_uploaded_entries("attachment", read))

    def render(self, assigns: Assigns) -> h.Element:
        attachment = assigns.uploads.attachment
        return h.form("#box", phx_change="validate", phx_submit="save", phx_target=assigns.myself)[
            live_file_input(attachment),
            h.p("#box-progress")[" ".join(str(e.progress) for e in attachment.entries)],
            h.p("#box-saved")[" ".join(assigns.saved)],
        ]


class WithComponent(LiveView):
    def render(self, assigns: Assigns) -> h.Element:
        return h.div[live_component(AttachmentBox, id="box")]


async def test_a_live_component_allows_and_consumes_its_own_upload() -> None:
    before = temp_files()
    app = LiveApp([LiveRoute("/", WithComponent)], secret_key="upload-secret")
    async with live(app, "/") as view:
        await view.upload("input[type=file]", [UploadFile("note.txt", b"hello component")])
        assert view.element("#box-progress").text == "100"
        await view.submit("#box")
        assert view.element("#box-saved").text == "hello component"
        assert temp_files() == before


class MemoryWriter:
    """A custom writer: keeps the chunks (a real one would stream them to storage)."""

    closed: ClassVar[list[tuple[str, str]]] = []

    def __init__(self, entry: UploadEntry) -> None:
        self.entry = entry
        self.chunks: list[bytes] = []

    async def write(self, chunk: bytes) -> None:
        self.chunks.append(chunk)

    async def close(self, reason: str) -> None:
        MemoryWriter.closed.append((self.entry.client_name, reason))

    def meta(self) -> dict[str, Any]:
        return {"chunks": len(self.chunks), "data": b"".join(self.chunks).decode()}


class Written(Uploader):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        await super().mount(socket, params, session)
        socket.allow_upload("docs", accept=None, max_entries=2, chunk_size=4, writer=MemoryWriter)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "save":

            def read(meta: dict[str, Any], entry: UploadEntry) -> tuple[str, bytes]:
                return f"{meta['chunks']} chunks", meta["data"].encode()

            saved = await socket.consume_uploaded_entries("docs", read)
            socket.assign(saved=[*socket.assigns.saved, *saved])
        else:
            await super().handle_event(socket, event, params)


async def test_a_custom_writer_gets_the_chunks_and_its_meta_is_consumed() -> None:
    MemoryWriter.closed.clear()
    before = temp_files()
    app = LiveApp([LiveRoute("/", Written)], secret_key="upload-secret")
    async with live(app, "/") as view:
        await view.upload("input[type=file]", [UploadFile("w.txt", b"0123456789")])
        await view.submit("#f")
        assert view.element("#saved").text == "3 chunks:10"
        assert temp_files() == before  # nothing went to a temporary file
        await view.upload("input[type=file]", [UploadFile("c.txt", b"0123456789")], percent=40)
        await view.push("cancel", {"ref": entry_ref(view)})
    assert MemoryWriter.closed == [("w.txt", "done"), ("c.txt", "cancel")]


async def test_a_client_claiming_100_percent_early_gets_nothing_consumed() -> None:
    from pylive.testing.uploads import report_progress

    async with live(make_app(), "/") as view:
        await view.upload("input[type=file]", [UploadFile("a.txt", b"x" * 1000)], percent=10)
        upload_ref = str(view.element("input[type=file]").attr("id"))
        await report_progress(view, upload_ref, entry_ref(view), 100)
        assert view.element(".progress").text == "100"
        await view.submit("#f")
        assert view.element("#saved").text == ""  # only bytes on the server count
        assert view.has_element("li.entry")


def test_chunk_size_stays_below_the_socket_frame_limit() -> None:
    socket = Socket("phx-test")
    with pytest.raises(ValueError, match="chunk_size"):
        socket.allow_upload("big", accept=None, chunk_size=2_000_000)
    socket.allow_upload("ok", accept=None, chunk_size=1_000_000)
    assert socket.assigns.uploads.ok.chunk_size == 1_000_000
