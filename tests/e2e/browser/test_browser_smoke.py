"""The browser the other browser tests stand on: Debian's Chromium opens a page the gateway
serves, and the offline guard really blocks (and records) anything outside the gateway."""

from tests.e2e.browser.conftest import OfflinePage


async def test_chromium_renders_a_gateway_page(offline_page: OfflinePage, gateway_url: str) -> None:
    tab = offline_page.page
    response = await tab.goto(f"{gateway_url}/docs/quickstart.md")
    assert response is not None
    assert response.status == 200
    assert "Dossier" in await tab.content()
    await tab.evaluate("fetch('https://cdn.example.org/x.js').catch(() => null)")
    await tab.wait_for_timeout(200)
    assert offline_page.blocked == ["https://cdn.example.org/x.js"]
