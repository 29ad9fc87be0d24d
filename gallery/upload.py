"""Upload: files sent over the live socket in chunks, with progress, previews and limits.

``allow_upload`` in ``mount`` sets the limits; ``live_file_input`` renders the input the
official client drives. Choosing (or dropping) files sends the form's ``phx-change`` with the
new entries, which the server checks against the limits (errors show at once); submitting
uploads each file over its own ``lvu:`` channel, the progress bars following along, and then
``save`` consumes the finished files: here it only records each file's name, size and SHA-256.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import anyio.to_thread
from htpy import Element, button, div, h1, h2, label, li, main, p, progress, section, ul
from htpy import form as form_

from gallery.layout import top_nav
from pylive import (
    Assigns,
    LiveView,
    Socket,
    UploadEntry,
    flash_group,
    live_file_input,
    live_img_preview,
    upload_errors,
)

MAX_FILE_SIZE = int(os.environ.get("PYLIVE_GALLERY_UPLOAD_MAX", "20000000"))
"""20 MB; raise it for a manual run with a big file (``tests/e2e/test_uploads.py``)."""

ERRORS = {
    "too_large": "The file is too large (20 MB at most).",
    "too_many_files": "Too many files (3 at most).",
    "not_accepted": "That file type is not accepted.",
    "external_client_failure": "The upload failed.",
}


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read 1 MiB at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class Upload(LiveView):
    """Up to three files of at most 20 MB each."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(page_title="Upload", saved=[])
        socket.allow_upload(
            "files",
            accept=None,
            max_entries=3,
            max_file_size=MAX_FILE_SIZE,
            auto_upload=params.get("auto") == "1",  # /demos/upload?auto=1: send on choosing
        )

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "cancel":
            socket.cancel_upload("files", str(params.get("ref")))
        elif event == "save":

            async def record(path: Path, entry: UploadEntry) -> dict[str, Any]:
                digest = await anyio.to_thread.run_sync(sha256_of, path)
                return {"name": entry.client_name, "size": entry.client_size, "sha256": digest}

            saved = await socket.consume_uploaded_entries("files", record)
            socket.assign(saved=[*socket.assigns.saved, *saved])

    def render(self, assigns: Assigns) -> Element:
        files = assigns.uploads.files
        return main(".demo")[
            top_nav(),
            flash_group(assigns.flash),
            h1["Upload"],
            form_("#upload-form", phx_change="validate", phx_submit="save")[
                section("#drop-zone.drop-zone", phx_drop_target=files.ref)[
                    label(for_=files.ref)["Files (drop them here, or choose)"],
                    live_file_input(files),
                ],
                [p(".error", role="alert")[ERRORS.get(e, e)] for e in upload_errors(files)],
                ul("#entries")[(self._entry(files, entry) for entry in files.entries)],
                button("#save", type="submit")["Upload"],
            ],
            h2["Uploaded"],
            ul("#saved")[
                (
                    li(".saved", data_sha256=f["sha256"])[f"{f['name']} ({f['size']} bytes)"]
                    for f in assigns.saved
                )
            ],
        ]

    @staticmethod
    def _entry(files: Any, entry: UploadEntry) -> Element:
        return li(".entry", id=f"entry-{entry.ref}")[
            live_img_preview(entry, width="80") if entry.client_type.startswith("image/") else None,
            div(".entry-name")[entry.client_name],
            progress(
                value=str(entry.progress),
                max="100",
                aria_label=f"Upload progress of {entry.client_name}",
            )[f"{entry.progress}%"],
            [p(".error", role="alert")[ERRORS.get(e, e)] for e in upload_errors(files, entry)],
            button(
                type="button",
                phx_click="cancel",
                phx_value_ref=entry.ref,
                aria_label=f"Cancel {entry.client_name}",
            )["Cancel"],
        ]
