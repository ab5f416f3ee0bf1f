"""Browser tests: real Chromium against a live Masa server."""
