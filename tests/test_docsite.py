"""The documentation site (mkdocs.yml, built by ``nox -s docs``) shows every page of docs/.

mkdocs only warns about a page missing from the nav in strict builds; this test says which page
and where to add it, without mkdocs installed.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def nav_pages() -> list[str]:
    """The pages listed under ``nav:`` in mkdocs.yml, relative to docs/."""
    config = (ROOT / "mkdocs.yml").read_text()
    nav = re.search(r"^nav:\n((?:[ \t]+.*\n|\n)*)", config, re.MULTILINE)
    assert nav is not None, "mkdocs.yml has no nav"
    return re.findall(r"^\s*-\s*(?:[^:\n]+:\s*)?([\w./-]+\.md)\s*$", nav.group(1), re.MULTILINE)


def test_nav_has_pages() -> None:
    assert "index.md" in nav_pages()


def test_every_docs_page_is_in_the_nav() -> None:
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    missing = sorted(pages - set(nav_pages()))
    assert not missing, f"add these pages to the nav in mkdocs.yml: {missing}"


def test_every_nav_entry_exists() -> None:
    absent = [page for page in nav_pages() if not (DOCS / page).is_file()]
    assert not absent, f"mkdocs.yml's nav lists pages that docs/ does not have: {absent}"


def test_nav_lists_each_page_once() -> None:
    pages = nav_pages()
    assert len(pages) == len(set(pages)), sorted(p for p in pages if pages.count(p) > 1)


def test_index_links_every_guide() -> None:
    """docs/index.md is the table of contents on GitHub; the nav mirrors it."""
    index = (DOCS / "index.md").read_text()
    linked = set(re.findall(r"\]\(([\w-]+\.md)(?:#[\w-]*)?\)", index))
    top = {str(p.relative_to(DOCS)) for p in DOCS.glob("*.md")} - {"index.md"}
    assert not sorted(top - linked), f"docs/index.md does not link {sorted(top - linked)}"


def test_the_reference_lists_every_top_level_name() -> None:
    """docs/reference/pylive.md documents each name of ``pylive.__all__`` (a new export gets
    its entry; the other reference pages document whole modules)."""
    import pylive

    page = (DOCS / "reference" / "pylive.md").read_text()
    documented = set(re.findall(r"^::: pylive\.(\w+)$", page, re.MULTILINE))
    assert documented == set(pylive.__all__), {
        "missing": sorted(set(pylive.__all__) - documented),
        "not exported": sorted(documented - set(pylive.__all__)),
    }
