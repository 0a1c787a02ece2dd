"""Screenshots of the dApp's key pages, saved on every run under test-artifacts/screenshots/ (the
folder is ignored by git): catalogue, product, cart, orders, seller dashboard, admin, arbiter, support,
and whatever else a test wants to keep a picture of.

Imported by bare name from the e2e tests (pytest puts this folder on sys.path: no __init__.py).
"""

from __future__ import annotations

import re
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def save_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save `page` as test-artifacts/screenshots/<name>.png (overwriting the last run's) and return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
