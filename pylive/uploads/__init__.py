"""File uploads over the live socket: configs and entries (``pylive.uploads.config``), the
template helpers (``pylive.uploads.html``) and the ``lvu:`` upload channel
(``pylive.upload_channel``). See docs/uploads.md."""

from pylive.uploads.config import (
    UploadConfig,
    UploadEntry,
    Uploads,
    UploadWriter,
    upload_errors,
)
from pylive.uploads.html import live_file_input, live_img_preview

__all__ = [
    "UploadConfig",
    "UploadEntry",
    "UploadWriter",
    "Uploads",
    "live_file_input",
    "live_img_preview",
    "upload_errors",
]
