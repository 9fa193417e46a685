"""The language switch: English ↔ 中文, remembered across a reload (and for the user)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.web.helpers import assert_accessible


async def test_the_language_switch_is_remembered_across_reloads(admin_page: Page) -> None:
    page = admin_page
    language = page.get_by_role("group", name="Language")
    await expect(language.get_by_role("button", name="English")).to_have_attribute(
        "aria-pressed", "true"
    )
    await language.get_by_role("button", name="中文").click()
    await expect(page.get_by_role("heading", name="设置您的呼叫中心", level=1)).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    await expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    await assert_accessible(page)

    await page.reload()
    await expect(page.get_by_role("heading", name="设置您的呼叫中心", level=1)).to_be_visible()
    await page.get_by_role("link", name="技能", exact=True).click()
    await expect(page.get_by_role("heading", name="技能", level=1)).to_be_visible()
    await assert_accessible(page)

    # Logged out, the device keeps the language: the log-in page is in Chinese too.
    await page.get_by_role("button", name="退出登录").click()
    await expect(page.get_by_role("heading", name="登录", level=1)).to_be_visible()
    await assert_accessible(page)

    await page.get_by_role("group", name="语言").get_by_role("button", name="English").click()
    await expect(page.get_by_role("heading", name="Log in", level=1)).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await page.reload()
    await expect(page.get_by_role("heading", name="Log in", level=1)).to_be_visible()
