"""Todos with streams: the list lives in the browser, the server sends only what changes.

The todos themselves are kept in a small store (this demo's stand-in for a database); the page
shows them through the stream ``todos``. Adding one inserts a row, completing or renaming one
re-inserts its row (updated in place), deleting one deletes its row (``phx-remove`` fades it
out), moving one deletes and re-inserts it one place up or down, and the filter links patch the
URL (``?filter=active``): ``handle_params`` resets the stream to the todos the filter shows.
Nothing of the rows is kept by the server between events.

Plain ``phx-submit`` forms; every control has a label, the buttons name their todo for screen
readers, the count is announced (``aria-live``). A moved row is a new element, so the server
asks the page (``push_event("todo-focus", ...)``, a listener in ``static/hooks.js``) to focus
its button again; saving or cancelling an edit returns the focus to the row's "Edit" button.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from htpy import (
    Element,
    button,
    div,
    form,
    h1,
    input,
    label,
    li,
    main,
    nav,
    p,
    span,
    ul,
)

from gallery.layout import top_nav
from pylive import JS, Assigns, LiveView, Socket, link

PATH = "/demos/todo"
FILTERS = {"all": "All", "active": "Active", "done": "Done"}
REMOVE = JS().hide(transition=("fade-out", "opacity-100", "opacity-0"), time=200)
"""``phx-remove`` of a row: fade out before the client takes it away."""
FOCUS = JS().focus()
"""``phx-mounted`` of the edit field: keyboard users land in it."""


@dataclass(frozen=True, slots=True)
class Todo:
    id: int
    title: str
    done: bool = False
    editing: bool = False


class Store:
    """The todos in order (what a database would hold; the page's rows are not kept here)."""

    def __init__(self, titles: list[str]) -> None:
        self.todos: list[Todo] = []
        self.next_id = 1
        for title in titles:
            self.add(title)

    def add(self, title: str) -> Todo:
        todo = Todo(self.next_id, title)
        self.next_id += 1
        self.todos.append(todo)
        return todo

    def get(self, todo_id: int) -> Todo | None:
        return next((t for t in self.todos if t.id == todo_id), None)

    def put(self, todo: Todo) -> None:
        self.todos = [todo if t.id == todo.id else t for t in self.todos]

    def remove(self, todo: Todo) -> None:
        self.todos = [t for t in self.todos if t.id != todo.id]

    def shown(self, filter: str) -> list[Todo]:
        return [t for t in self.todos if _shows(filter, t)]

    def move(self, todo: Todo, by: int, filter: str) -> int | None:
        """Swap ``todo`` with its neighbour among the shown todos; its new shown index."""
        shown = self.shown(filter)
        index = next(i for i, t in enumerate(shown) if t.id == todo.id)
        target = index + by
        if not 0 <= target < len(shown):
            return None
        a, b = self.todos.index(shown[index]), self.todos.index(shown[target])
        self.todos[a], self.todos[b] = self.todos[b], self.todos[a]
        return target


def _shows(filter: str, todo: Todo) -> bool:
    return filter == "all" or todo.done == (filter == "done")


class TodoList(LiveView):
    """Add, edit in place, complete, delete, reorder and filter todos (see the module)."""

    async def mount(self, socket: Socket, params: dict[str, Any], session: dict[str, Any]) -> None:
        store = Store(["Write the docs", "Stream the todos", "Ship it"])
        socket.assign(store=store, filter="all", error=None, page_title="Todos")
        socket.stream("todos", [])
        self._counts(socket)

    async def handle_params(self, socket: Socket, params: dict[str, Any], uri: str) -> None:
        chosen = params.get("filter", "all")
        chosen = chosen if chosen in FILTERS else "all"
        socket.assign(filter=chosen)
        socket.stream("todos", socket.assigns.store.shown(chosen), reset=True)

    async def handle_event(self, socket: Socket, event: str, params: dict[str, Any]) -> None:
        store: Store = socket.assigns.store
        shown = socket.assigns.filter
        if event == "add":
            title = str(params.get("title", "")).strip()
            if not title:
                socket.assign(error="Write something to do first.")
                return
            todo = store.add(title)
            socket.assign(error=None)
            if _shows(shown, todo):
                socket.stream_insert("todos", todo)
            self._counts(socket)
            return
        found = store.get(_int(params.get("id")))
        if found is None:
            return  # gone meanwhile (another tab of a real app): nothing to show
        todo = found
        match event:
            case "toggle":
                todo = replace(todo, done=not todo.done)
                store.put(todo)
                if _shows(shown, todo):
                    socket.stream_insert("todos", todo)
                else:
                    socket.stream_delete("todos", todo)
                self._counts(socket)
            case "edit":
                socket.stream_insert("todos", replace(todo, editing=True))
            case "cancel":
                socket.stream_insert("todos", todo)
                socket.push_event("todo-focus", {"id": f"edit-{todo.id}"})
            case "save":
                title = str(params.get("title", "")).strip() or todo.title
                todo = replace(todo, title=title)
                store.put(todo)
                socket.stream_insert("todos", todo)
                socket.push_event("todo-focus", {"id": f"edit-{todo.id}"})
            case "delete":
                store.remove(todo)
                socket.stream_delete("todos", todo)
                self._counts(socket)
            case "up" | "down":
                at = store.move(todo, -1 if event == "up" else 1, shown)
                if at is not None:
                    socket.stream_delete("todos", todo).stream_insert("todos", todo, at=at)
                    # the row is a new element: keep the keyboard on its button
                    socket.push_event("todo-focus", {"id": f"{event}-{todo.id}"})

    @staticmethod
    def _counts(socket: Socket) -> None:
        todos = socket.assigns.store.todos
        socket.assign(left=sum(not t.done for t in todos), total=len(todos))

    def render(self, assigns: Assigns) -> Element:
        return main(".demo.todo")[
            top_nav(),
            h1["Todos"],
            p(".hint")[
                "A stream: the rows live in the browser; the server sends only new, changed "
                "and deleted rows, and keeps none of them."
            ],
            form("#add-todo", phx_submit="add")[
                label(for_="new-title")["New todo"],
                " ",
                input(
                    id="new-title",
                    name="title",
                    autocomplete="off",
                    aria_invalid="true" if assigns.error else None,
                    aria_describedby="add-error" if assigns.error else None,
                ),
                " ",
                button("#add", type="submit")["Add"],
                p("#add-error.error", role="alert")[assigns.error] if assigns.error else None,
            ],
            nav(".filters", aria_label="Filter todos")[
                [
                    link(
                        id=f"filter-{key}",
                        patch=PATH if key == "all" else f"{PATH}?filter={key}",
                        aria_current="page" if assigns.filter == key else None,
                    )[name]
                    for key, name in FILTERS.items()
                ]
            ],
            p("#todo-count", aria_live="polite")[f"{assigns.left} of {assigns.total} left to do"],
            ul("#todos", phx_update="stream", aria_label="Todos")[
                [todo_row(dom_id, todo) for dom_id, todo in assigns.todos]
            ],
        ]


def todo_row(dom_id: str, todo: Todo) -> Element:
    """One row: a checkbox and the title, or the title's edit form."""
    if todo.editing:
        field = f"title-{todo.id}"
        body: Any = form(".edit", phx_submit="save")[
            input(type="hidden", name="id", value=str(todo.id)),
            label(".visually-hidden", for_=field)[f"New title of {todo.title}"],
            input(id=field, name="title", value=todo.title, autocomplete="off", phx_mounted=FOCUS),
            button(type="submit")["Save"],
            button(type="button", phx_click="cancel", phx_value_id=str(todo.id))["Cancel"],
        ]
    else:
        check = f"done-{todo.id}"
        body = div(".view")[
            input(
                id=check,
                type="checkbox",
                checked=todo.done,
                phx_click="toggle",
                phx_value_id=str(todo.id),
            ),
            label(".title", for_=check)[todo.title],
            span(".actions")[
                _button("edit", todo, "Edit"),
                _button("up", todo, "Move up", "↑"),
                _button("down", todo, "Move down", "↓"),
                _button("delete", todo, "Delete"),
            ],
        ]
    return li(id=dom_id, class_={"done": todo.done}, phx_remove=REMOVE)[body]


def _button(event: str, todo: Todo, action: str, text: str | None = None) -> Element:
    return button(
        id=f"{event}-{todo.id}",
        type="button",
        class_=event,
        phx_click=event,
        phx_value_id=str(todo.id),
        aria_label=f"{action}: {todo.title}",
    )[text or action]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
