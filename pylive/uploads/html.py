"""htpy helpers for uploads: the file input the official client's upload hook drives, and the
image preview it fills in from the chosen file (no round trip)."""

from __future__ import annotations

from typing import Any

import htpy
from htpy import VoidElement

from pylive.uploads.config import UploadConfig, UploadEntry

__all__ = ["live_file_input", "live_img_preview"]


def live_file_input(upload: UploadConfig, **attrs: Any) -> VoidElement:
    """The ``<input type="file">`` of ``upload`` (put it inside a form with ``phx-change``;
    label it with ``<label for=upload.ref>``). Keywords become attributes (``class_``...)."""
    entries = upload.entries
    attrs.setdefault("accept", upload.accept_attr)
    if upload.max_entries > 1:
        attrs.setdefault("multiple", True)
    return htpy.input(
        id=upload.ref,
        type="file",
        name=upload.name,
        data_phx_hook="Phoenix.LiveFileUpload",
        data_phx_update="ignore",
        data_phx_upload_ref=upload.ref,
        data_phx_active_refs=",".join(e.ref for e in entries),
        data_phx_done_refs=",".join(e.ref for e in entries if e.done),
        data_phx_preflighted_refs=",".join(e.ref for e in entries if e.preflighted),
        data_phx_auto_upload=upload.auto_upload,
        **attrs,
    )


def live_img_preview(entry: UploadEntry, **attrs: Any) -> VoidElement:
    """An ``<img>`` the client fills with a local preview of ``entry``'s file."""
    attrs.setdefault("id", f"phx-preview-{entry.ref}")
    attrs.setdefault("alt", entry.client_name)
    return htpy.img(
        data_phx_upload_ref=entry.upload_ref,
        data_phx_entry_ref=entry.ref,
        data_phx_hook="Phoenix.LiveImgPreview",
        data_phx_update="ignore",
        **attrs,
    )
