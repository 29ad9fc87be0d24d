"""hatchling build hook: build pylive's browser client and put it in every artifact.

``pylive/client/build.py`` makes ``pylive/client/dist/pylive.js`` from the pinned official npm
packages (``npm ci``) and pylive's bootstrap, plus its compressed copies ``pylive.js.gz`` and
``pylive.js.br``. That output is not in git, so hatchling would skip it; this hook builds it
first and force-includes every file of it:

* wheel: the bundle ships inside the wheel; installing the wheel needs no Node.js.
* sdist: the bundle ships too, so a wheel built from the sdist finds it fresh and skips npm.
* editable (``pip install -e .``): the bundle is built in the source tree, where the editable
  install imports pylive from.

npm is needed only when the bundle is missing or stale. ``PYLIVE_SKIP_CLIENT_BUILD=1`` skips
the build (for example, to work on the Python side without Node.js); pages then load no
client until ``python pylive/client/build.py`` is run, and the server says so.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLE_IN_ARTIFACT = "pylive/client/dist/pylive.js"
"""Where the bundle goes in an artifact; its compressed copies go beside it."""


class ClientBundleHook(BuildHookInterface):  # type: ignore[type-arg]
    """Runs ``pylive/client/build.py`` before hatchling collects the files of a target."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build (if stale) and force-include the bundle for standard wheel/sdist builds."""
        if os.environ.get("PYLIVE_SKIP_CLIENT_BUILD"):
            self.app.display_warning(
                "PYLIVE_SKIP_CLIENT_BUILD is set: building without pylive's browser client"
            )
            return
        builder = _load_builder(Path(self.root) / "pylive" / "client" / "build.py")
        try:
            builder.build(log=self.app.display_info)
        except builder.ClientBuildError as exc:
            self.app.abort(f"pylive: cannot build the browser client: {exc}")
            raise  # abort() exits; this keeps type checkers informed
        if version == "standard":
            target = Path(BUNDLE_IN_ARTIFACT).parent
            for output in builder.OUTPUTS:
                build_data["force_include"][str(output)] = str(target / output.name)


def _load_builder(path: Path) -> ModuleType:
    """Import ``build.py`` by path: pylive itself is not importable inside the build env."""
    spec = importlib.util.spec_from_file_location("pylive_client_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
