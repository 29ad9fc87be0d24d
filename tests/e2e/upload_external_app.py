"""An external (direct-to-cloud) upload, for the browser tests
(``pylive serve e2e.upload_external_app:app``): the presign function hands the client uploader
``Fake`` its metadata; the page's uploader (registered by the test through
``window.pylive.uploaders``) reports progress, or an error for files named ``fail*``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from htpy import Element, button, form, label, li, main, p, progress, ul

from pylive import (
    Assigns,
    LiveApp,
    LiveRoute,
    LiveView,
    Socket,
    UploadEntry,
    live_file_input,
    upload_errors,
)


class ExternalUpload(LiveView):
    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(saved=[])

        async def presign(entry: UploadEntry, socket: Socket) -> dict[str, Any]:
            return {"uploader": "Fake", "key": f"bucket/{entry.client_name}"}

        socket.allow_upload("files", accept=None, max_entries=2, external=presign)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "save":

            def keep(path: Path | None, entry: UploadEntry) -> str:
                assert path is None and entry.meta is not None
                return str(entry.meta["key"])

            saved = await socket.consume_uploaded_entries("files", keep)
            socket.assign(saved=[*socket.assigns.saved, *saved])

    def render(self, assigns: Assigns) -> Element:
        files = assigns.uploads.files
        return main[
            form("#f", phx_change="validate", phx_submit="save")[
                label(for_=files.ref)["Files"],
                live_file_input(files),
                ul("#entries")[
                    (
                        li(".entry")[
                            entry.client_name,
                            progress(value=str(entry.progress), max="100"),
                            [p(".error")[e] for e in upload_errors(files, entry)],
                        ]
                        for entry in files.entries
                    )
                ],
                button("#save", type="submit")["Upload"],
            ],
            ul("#saved")[(li(".saved")[key] for key in assigns.saved)],
        ]


def create_app() -> LiveApp:
    return LiveApp([LiveRoute("/", ExternalUpload)], secret_key="upload-external-tests-only")


app = create_app()
