"""Screenshots of the dApp's key pages, saved on every run under test-artifacts/screenshots/ (the
folder is ignored by git): catalogue, product, cart, orders, seller dashboard, admin, arbiter, support,
and whatever else a test wants to keep a picture of.

Imported by bare name from the e2e tests (pytest puts this folder on sys.path: no __init__.py).
"""

from __future__ import annotations

import re
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def save_screenshot(target, name: str) -> Path:
    """Save `target` (a Playwright page, whole, or a locator: just that element) as
    test-artifacts/screenshots/<name>.png, overwriting the last run's; returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    is_element = hasattr(target, "bounding_box")
    target.screenshot(path=str(path), **({} if is_element else {"full_page": True}))
    return path
