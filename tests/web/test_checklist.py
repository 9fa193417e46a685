"""The setup checklist, where a signed-up admin lands, and the fixtures' own checks."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.web.helpers import Account, assert_accessible


async def test_checklist_shows_the_steps_and_the_login_url(
    admin_page: Page, admin: Account
) -> None:
    page = admin_page
    await expect(page).to_have_url(re.compile(r"/admin$"))
    await expect(page.get_by_text(f"/t/{admin.slug}")).to_be_visible()
    await expect(page.get_by_role("link", name="Add a skill")).to_be_visible()
    await assert_accessible(page)


async def test_assert_accessible_fails_on_a_serious_violation(admin_page: Page) -> None:
    """axe really runs: an image without a text alternative (critical) is reported."""
    await admin_page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<img src="/favicon.svg" data-probe="1">\')'
    )
    with pytest.raises(AssertionError, match=r"image-alt"):
        await assert_accessible(admin_page)
