"""A LiveComponent's place in a template: its cid plus the node it rendered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ComponentRef"]


@dataclass(frozen=True, slots=True)
class ComponentRef:
    """Marks a slot as LiveComponent ``cid``; ``node`` is what the component rendered.

    The walker turns it into a cid reference plus an entry in the components map; to plain htpy
    (``str(tree)``, the dead render) it is just the component's HTML.
    """

    cid: int
    node: Any

    def __html__(self) -> str:
        return str(self.node)
