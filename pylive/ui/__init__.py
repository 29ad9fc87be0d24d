"""pylive's component toolkit: accessible function components for LiveViews, with an optional
stylesheet (``pylive-ui.css``) and a few keyboard hooks (``pylive-ui.js``) that ``LiveApp``
serves; a layout includes both with ``page.ui_head()``.

Import them from here (``from pylive.ui import button, modal``): the top-level ``pylive``
namespace keeps to the core API. See docs/ui.md.
"""

from pylive.ui.accordion import AccordionItem, accordion
from pylive.ui.avatar import avatar, initials
from pylive.ui.button import button
from pylive.ui.card import card
from pylive.ui.chart import bar_chart, line_chart
from pylive.ui.feedback import alert, badge, toast_group
from pylive.ui.icon import ICONS, IconName, icon
from pylive.ui.loading import async_result, skeleton, spinner
from pylive.ui.menu import MenuItem, close_menu, dropdown_menu
from pylive.ui.modal import (
    drawer,
    focus_wrap,
    hide_drawer,
    hide_modal,
    modal,
    show_drawer,
    show_modal,
)
from pylive.ui.navigation import Crumb, breadcrumb, page_window, pagination
from pylive.ui.presence import presence_list
from pylive.ui.progress import progress_bar
from pylive.ui.table import Column, data_table
from pylive.ui.table_state import Selection, TableParams
from pylive.ui.tabs import Tab, select_tab, tabs
from pylive.ui.theme import theme_switch
from pylive.ui.tooltip import tooltip

__all__ = [
    "ICONS",
    "AccordionItem",
    "Column",
    "Crumb",
    "IconName",
    "MenuItem",
    "Selection",
    "Tab",
    "TableParams",
    "accordion",
    "alert",
    "async_result",
    "avatar",
    "badge",
    "bar_chart",
    "breadcrumb",
    "button",
    "card",
    "close_menu",
    "data_table",
    "drawer",
    "dropdown_menu",
    "focus_wrap",
    "hide_drawer",
    "hide_modal",
    "icon",
    "initials",
    "line_chart",
    "modal",
    "page_window",
    "pagination",
    "presence_list",
    "progress_bar",
    "select_tab",
    "show_drawer",
    "show_modal",
    "skeleton",
    "spinner",
    "tabs",
    "theme_switch",
    "toast_group",
    "tooltip",
]

# Form inputs and the file dropzone (over pylive.forms and pylive.uploads).
from pylive.ui.dropzone import file_dropzone
from pylive.ui.groups import field_group, radio_group
from pylive.ui.inputs import InputType, select_field, text_field, textarea_field
from pylive.ui.toggles import checkbox_field, switch_field

__all__ += [
    "InputType",
    "checkbox_field",
    "field_group",
    "file_dropzone",
    "radio_group",
    "select_field",
    "switch_field",
    "text_field",
    "textarea_field",
]
