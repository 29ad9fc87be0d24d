"""``file_dropzone``: an upload's drop target, file input and entries, with previews, progress
and a cancel button per file.

It renders, for an upload of ``socket.allow_upload`` (``assigns.uploads.photos``):

* the drop target (``phx-drop-target``): files dropped on it join the upload;
* the file input (``live_file_input``), visually hidden (``ui-visually-hidden``) but in the
  Tab order, named by a
  visible ``<label>`` styled as a button: Enter or Space opens the file chooser; the target
  shows the focus ring;
* the help text (by default the upload's limits) and the upload's errors, both linked to the
  input with ``aria-describedby``;
* one entry per file: a local preview of images (``live_img_preview``), a ``progress_bar``
  named by the file name, the entry's errors, and a cancel button that pushes ``on_cancel``
  with ``ref`` (the entry) and ``upload`` (the upload's name): the handler calls
  ``socket.cancel_upload(params["upload"], params["ref"])``.

Put it in a form with ``phx-change`` (the client sends new entries with it) and, unless the
upload is ``auto_upload``, ``phx-submit`` (which starts the uploads).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import htpy
from htpy import Element, div, li, p, span, ul

from pylive.html.compiler import component
from pylive.ui.button import button
from pylive.ui.field_parts import help_block, help_id
from pylive.ui.icon import icon
from pylive.ui.progress import progress_bar
from pylive.uploads import UploadConfig, UploadEntry, live_file_input, live_img_preview
from pylive.uploads import upload_errors as errors_of

__all__ = ["file_dropzone", "file_size", "upload_messages"]


def file_size(size: int) -> str:
    """A byte count for people: ``"512 bytes"``, ``"1.5 kB"``, ``"20 MB"`` (powers of 1000)."""
    units = ("bytes", "kB", "MB", "GB", "TB")
    value, unit = float(size), 0
    while round(value, 1) >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    if unit == 0:
        return f"{size} bytes"
    return f"{value:.1f}".removesuffix(".0") + f" {units[unit]}"


def upload_messages(upload: UploadConfig) -> dict[str, str]:
    """The default text of each upload error code, with the upload's limits."""
    return {
        "too_large": f"Larger than {file_size(upload.max_file_size)}",
        "too_many_files": f"Too many files ({upload.max_entries} at most)",
        "not_accepted": "This type of file is not accepted",
        "external_client_failure": "The upload failed",
    }


def _limits(upload: UploadConfig) -> str:
    count = "one file" if upload.max_entries == 1 else f"up to {upload.max_entries} files"
    text = f"Or drop them here: {count} of {file_size(upload.max_file_size)} at most"
    if upload.accept is not None:
        text += " (" + ", ".join(upload.accept) + ")"
    return text + "."


def _entry(
    upload: UploadConfig,
    entry: UploadEntry,
    messages: Mapping[str, str],
    on_cancel: str,
    cancel_label: str,
) -> Element:
    errors = errors_of(upload, entry)
    tone = "danger" if errors else ("success" if entry.done else "info")
    preview = (
        live_img_preview(entry, alt="", class_="ui-dropzone-preview")
        if entry.client_type.startswith("image/")
        else span(".ui-dropzone-preview.ui-dropzone-file", aria_hidden="true")[
            entry.client_name.rpartition(".")[2][:4].upper() if "." in entry.client_name else ""
        ]
    )
    return li(
        class_=["ui-dropzone-entry", "ui-dropzone-entry-invalid" if errors else None],
        id=f"{upload.ref}-{entry.ref}",
    )[
        preview,
        div(".ui-dropzone-entry-body")[
            progress_bar(value=entry.progress, label=entry.client_name, tone=tone),
            p(".ui-dropzone-size")[file_size(entry.client_size)],
            div(".ui-field-errors")[(p[messages.get(e, e)] for e in errors)] if errors else None,
        ],
        button(
            variant="ghost",
            size="sm",
            class_="ui-dropzone-cancel",
            phx_click=on_cancel,
            phx_value_ref=entry.ref,
            phx_value_upload=upload.name,
            aria_label=f"{cancel_label} {entry.client_name}",
        )[icon("x")],
    ]


@component
def file_dropzone(
    upload: UploadConfig,
    *,
    label: str,
    help: str | None = None,
    messages: Mapping[str, str] | None = None,
    on_cancel: str = "cancel-upload",
    cancel_label: str = "Cancel",
    class_: str | None = None,
    **attrs: Any,
) -> Element:
    """An upload's drop target and file input, and its files with previews and progress.

    Attributes:
        upload: the upload (``assigns.uploads.photos``).
        label: the file input's visible label (shown as a button: "Choose photos").
        help: a hint under it (default: the upload's limits; ``""`` for none).
        messages: text for error codes (``too_large``, ``too_many_files``, ``not_accepted``,
            ``external_client_failure``), over the defaults.
        on_cancel: the event a file's cancel button pushes, with ``ref`` and ``upload``.
        cancel_label: the cancel buttons' accessible name, before the file name.
    """
    text = {**upload_messages(upload), **(messages or {})}
    hint = _limits(upload) if help is None else help
    errors = errors_of(upload)
    error_id = f"{upload.ref}-error"
    described = [help_id(upload.ref)] if hint else []
    if errors:
        described.append(error_id)
    return div(class_=["ui-dropzone", class_], **attrs)[
        div(".ui-dropzone-target", phx_drop_target=upload.ref)[
            htpy.label(".ui-dropzone-label.ui-btn.ui-btn-secondary.ui-btn-md", for_=upload.ref)[
                label
            ],
            help_block(upload.ref, hint),
            live_file_input(
                upload,
                class_="ui-dropzone-input ui-visually-hidden",
                aria_describedby=" ".join(described) or None,
                aria_invalid="true" if errors else None,
            ),
        ],
        div(".ui-field-errors", id=error_id, role="alert")[(p[text.get(e, e)] for e in errors)]
        if errors
        else None,
        ul(".ui-dropzone-entries")[
            (_entry(upload, entry, text, on_cancel, cancel_label) for entry in upload.entries)
        ]
        if upload.entries
        else None,
    ]
