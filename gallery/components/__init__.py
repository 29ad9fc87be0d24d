"""The gallery's component pages (``/components/<name>``), one per component of ``pylive.ui``.

Each page shows live examples with their source next to them, and the component's attributes
and slots table (``gallery.components.page``).
"""

from __future__ import annotations

from gallery.components.basics import BadgePage, ButtonPage, CardPage, IconPage
from gallery.components.charts import ChartPage
from gallery.components.disclosure import AccordionPage, TabsPage
from gallery.components.feedback import AlertPage, LoadingPage, ProgressPage, ToastPage
from gallery.components.forms import DropzonePage, InputsPage
from gallery.components.navigation import BreadcrumbPage, PaginationPage
from gallery.components.overlays import DrawerPage, DropdownPage, ModalPage, TooltipPage
from gallery.components.page import ComponentPage
from gallery.components.people import AvatarPage, PresencePage
from gallery.components.tables import DataTablePage

__all__ = ["PAGES", "ComponentPage", "path_of"]

PAGES: tuple[type[ComponentPage], ...] = (
    AccordionPage,
    AlertPage,
    BadgePage,
    BreadcrumbPage,
    ButtonPage,
    CardPage,
    ChartPage,
    DrawerPage,
    DropdownPage,
    IconPage,
    LoadingPage,
    ModalPage,
    PaginationPage,
    ProgressPage,
    TabsPage,
    ToastPage,
    TooltipPage,
    InputsPage,
    DropzonePage,
    DataTablePage,
    AvatarPage,
    PresencePage,
)
"""Every component page, in the index's order."""


def path_of(page: type[ComponentPage]) -> str:
    """The page's URL path."""
    return f"/components/{page.name}"
