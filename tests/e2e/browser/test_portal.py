"""The developer portal in a real browser with the internet cut off: every request outside
the gateway is aborted (and recorded), and still the reference lists the operations with
their code samples, a guide renders and its navigation works, and an operator sees the bus.
The screenshots are the README's."""

import base64
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from tests.e2e.browser.conftest import OfflinePage
from tests.e2e.conftest import E2E_OPERATOR_TOKEN

Screenshot = Callable[..., Awaitable[Path]]
#: Generous: Redoc parses the whole document in a loaded 2-core machine's browser.
LOADED_MS = 30_000


async def operation_entries(tab: Page) -> int:
    count: Any = await tab.evaluate(
        "document.querySelectorAll('li[data-item-id*=\"operation/\"]').length"
    )
    return int(count)


async def test_the_reference_lists_the_operations_offline(
    offline_page: OfflinePage, gateway_url: str, screenshot: Screenshot
) -> None:
    tab = offline_page.page
    response = await tab.goto(f"{gateway_url}/docs")
    create = tab.get_by_role("heading", name="Create an analysis, or reuse the existing one")

    assert response is not None
    assert response.status == 200
    await expect(create).to_be_visible(timeout=LOADED_MS)
    assert await operation_entries(tab) >= 30
    operation = tab.locator('[data-section-id="tag/analyses/operation/createAnalysis"]')
    await operation.get_by_role("tab", name="Python").click()
    await expect(operation.get_by_text("client.analyses.create(")).to_be_visible()
    await operation.evaluate("element => element.scrollIntoView()")
    await screenshot(tab, "portal-reference")
    assert offline_page.blocked == []


async def test_a_guide_renders_and_its_nav_leads_to_another_offline(
    offline_page: OfflinePage, gateway_url: str, screenshot: Screenshot
) -> None:
    tab = offline_page.page
    await tab.goto(f"{gateway_url}/docs/quickstart")
    nav = tab.get_by_role("navigation", name="Guides")

    await expect(tab.get_by_role("heading", level=1, name="Quickstart")).to_be_visible()
    await expect(nav.get_by_role("link", name="Quickstart")).to_have_attribute(
        "aria-current", "page"
    )
    await screenshot(tab, "portal-guide")
    await nav.get_by_role("link", name="Webhooks").click()
    await expect(tab).to_have_url(f"{gateway_url}/docs/webhooks")
    await expect(tab.get_by_role("heading", level=1)).to_contain_text("Webhooks")
    assert offline_page.blocked == []


async def test_an_operator_sees_the_event_bus_offline(
    offline_page: OfflinePage, gateway_url: str, screenshot: Screenshot
) -> None:
    tab = offline_page.page
    basic = base64.b64encode(f"operator:{E2E_OPERATOR_TOKEN}".encode()).decode()
    await tab.set_extra_http_headers({"Authorization": f"Basic {basic}"})
    response = await tab.goto(f"{gateway_url}/asyncapi")

    assert response is not None
    assert response.status == 200
    await expect(tab.get_by_role("heading", name="analysis.requested", exact=True)).to_be_visible()
    await screenshot(tab, "portal-asyncapi")
    assert offline_page.blocked == []
