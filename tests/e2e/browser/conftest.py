"""A real browser for the browser-facing parts: Debian's Chromium (installed by
`scripts/browser.sh`, which `make test` runs first), driven by Playwright's Python client over
the DevTools protocol. Playwright never downloads a browser here.

Fixtures:
- `browser` — one headless Chromium for the session;
- `page` — a fresh context (no cookies, no storage) and page per test, 1280x800;
- `offline_page` — the same, but every request to a host other than the gateway's is aborted
  and recorded in `page.blocked` (proves a page works without the internet);
- `screenshot(page, name)` — saves `docs/screenshots/<name>.png` for the README.
"""

import os
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route, async_playwright

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM = os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium")

# As the machine notes say: without these, Chromium tries Google's hosts at every start and the
# closed network refuses them many at a time; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        subprocess.run(["bash", str(REPO / "scripts" / "browser.sh")], check=True)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    tab = await context.new_page()
    yield tab
    await context.close()


class OfflinePage:
    """A page whose requests outside the gateway's origin are aborted (and recorded)."""

    def __init__(self, page: Page, blocked: list[str]) -> None:
        self.page = page
        self.blocked = blocked


@pytest_asyncio.fixture(loop_scope="session")
async def offline_page(browser: Browser, gateway_url: str) -> AsyncIterator[OfflinePage]:
    allowed = urlsplit(gateway_url).netloc
    blocked: list[str] = []

    async def guard(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == allowed or url.startswith(("data:", "blob:", "about:")):
            await route.continue_()
        else:
            blocked.append(url)
            await route.abort("internetdisconnected")

    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    await context.route("**/*", guard)
    tab = await context.new_page()
    yield OfflinePage(tab, blocked)
    await context.close()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Awaitable[Path]]:
    async def take(tab: Page, name: str, **options: Any) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        await tab.screenshot(path=str(path), **options)
        return path

    return take
