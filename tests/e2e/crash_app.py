"""A small app whose LiveView crashes on demand, for the crash-fidelity tests.

Served by a real hypercorn for the browser tests (``pylive serve e2e.crash_app:app``, see
``test_crash_fidelity.py`` here) and driven in-process by ``tests/test_crash_fidelity.py``.

``Crashy`` is a counter (a fresh mount shows 0) with three ways to fail:

* ``#crash`` raises in ``handle_event``;
* once armed (``#arm``), ``handle_params`` of ``/?n=N&until=U`` patches again to ``n=N+1``
  while ``N < U``, so a patch link to ``/?n=0&until=U`` makes ``U`` patches in a row
  (``#link-20``, ``#link-21``);
* ``#patch-20``/``#patch-21`` arm and push the first patch from ``handle_event`` (``n=1``), so
  they make 20/21 patches in a row too.

Phoenix allows 20 patches in a row and crashes the view on the 21st. A fresh mount is never
armed, so loading or rejoining a loop URL shows it instead of crashing again.
"""

from __future__ import annotations

from typing import Any

from htpy import Element, a, button, div, p, span

from pylive import Assigns, LiveApp, LiveRoute, LiveView, Socket

MAX_PATCHES = 20
"""``push_patch`` calls in a row that Phoenix (and pylive) accept; one more crashes the view."""

SECRET = "crash-app-secret-for-tests-only"


def loop_url(n: int, until: int) -> str:
    """The URL whose ``handle_params`` patches on to ``n + 1`` while ``n < until``."""
    return f"/?n={n}&until={until}"


class Crashy(LiveView):
    """A counter that crashes on demand (see the module docstring)."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        socket.assign(count=0, armed=False, n=0, until=0, stable_inbox=socket.inbox is socket.inbox)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        n, until = int(params.get("n", 0)), int(params.get("until", 0))
        socket.assign(n=n, until=until)
        if socket.assigns.armed and n < until:
            socket.push_patch(loop_url(n + 1, until))

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        if event == "inc":
            socket.assign(count=socket.assigns.count + 1)
        elif event == "crash":
            raise RuntimeError("Crashy raised on purpose")
        elif event == "arm":
            socket.assign(armed=True)
        elif event == "patch":
            socket.assign(armed=True)
            socket.push_patch(loop_url(1, int(params["until"])))

    def render(self, assigns: Assigns) -> Element:
        return div[
            p["Count: ", span("#count")[assigns.count]],
            p("#position")[f"n={assigns.n} until={assigns.until}"],
            p("#armed")["armed" if assigns.armed else "idle"],
            p("#inbox")["stable inbox" if assigns.stable_inbox else "new inbox each time"],
            button("#inc", phx_click="inc")["+1"],
            button("#crash", phx_click="crash")["crash"],
            button("#arm", phx_click="arm")["arm"],
            button("#patch-20", phx_click="patch", phx_value_until=str(MAX_PATCHES))["20"],
            button("#patch-21", phx_click="patch", phx_value_until=str(MAX_PATCHES + 1))["21"],
            a(
                "#link-20",
                href=loop_url(0, MAX_PATCHES),
                data_phx_link="patch",
                data_phx_link_state="push",
            )["20 patches"],
            a(
                "#link-21",
                href=loop_url(0, MAX_PATCHES + 1),
                data_phx_link="patch",
                data_phx_link_state="push",
            )["21 patches"],
        ]


def create_app() -> LiveApp:
    """A fresh app serving ``Crashy`` at ``/``."""
    return LiveApp([LiveRoute("/", Crashy)], secret_key=SECRET)


app = create_app()
