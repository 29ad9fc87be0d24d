"""``Assigns``: the read-only view of a socket's state that templates and handlers read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["Assigns"]


class Assigns(Mapping[str, Any]):
    """Read-only view of a socket's assigns, by key (``a["count"]``) or attribute (``a.count``).

    The assigns dict *is* the instance ``__dict__``, so ``a.count`` is a plain attribute lookup
    (templates read assigns this way in every slot). An assign named like a ``Mapping`` method
    (``a.items``) shadows it for attribute access; ``a["items"]`` always works.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "__dict__", data)

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __getattr__(self, name: str) -> Any:  # only called when the assign is missing
        raise AttributeError(f"no assign named {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("assigns are read-only: use socket.assign(...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("assigns are read-only: use socket.assign(...)")

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __repr__(self) -> str:
        return f"Assigns({self.__dict__!r})"
