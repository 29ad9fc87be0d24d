"""Real-browser tests (a package, so that the browser fixture can be package-scoped: while
Playwright's sync API is active its event loop counts as running in this thread, which would
break the anyio tests that run after these)."""
