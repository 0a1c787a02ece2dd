"""The admin page in a real browser: only the marketplace's administrator sees it; it shows the
deployed contracts (implementation and version, read through the wallet's RPC) and role holders;
the admin pauses and unpauses, changes the terms (fees), allow-lists and disallows a token, grants
and revokes a role, registers an arbiter and changes a points rule, each through the wallet. Refused
changes come back as sentences, and nothing changes on chain.

Run: ape test tests/e2e/test_admin_ui.py
"""

import json

from playwright.sync_api import expect
from screenshots import save_screenshot

from scripts.deploy import DEFAULT_TERMS

expect.set_options(timeout=20_000)


def open_admin(open_mall, admin):
    page = open_mall(admin)
    page.connect(admin)
    expect(page.by("nav-admin")).to_be_visible()
    page.go("admin")
    expect(page.by("admin-contracts")).to_be_visible()
    return page


def test_the_admin_tab_is_for_the_administrator_only(mall, open_mall, carol):
    page = open_mall(carol)
    expect(page.by("nav-admin")).to_be_hidden()
    page.connect(carol)
    page.page.evaluate("location.hash = '#admin'")  # typed into the address bar: there is no tab
    expect(page.by("admin-denied")).to_contain_text("does not hold the marketplace’s DEFAULT_ADMIN_ROLE")
    expect(page.by("nav-admin")).to_be_hidden()
    expect(page.by("admin-pause")).to_have_count(0)


def test_deployed_contracts_versions_and_role_holders(mall, open_mall, admin, support, arbiter1):
    page = open_admin(open_mall, admin)
    for name, contract in (
        ("Marketplace", mall.marketplace),
        ("ResolutionCenter", mall.resolution),
        ("LogisticsOracle", mall.oracle),
    ):
        expect(page.by(f"version-{name}")).to_have_text(contract.version())
        expect(page.by(f"implementation-check-{name}")).to_have_text("matches the record")
    support_row = page.by(f"holder-ResolutionCenter-SUPPORT_ROLE-{support.address}")
    expect(support_row).to_contain_text("yes")  # hasRole through the wallet agrees with the index
    expect(page.by(f"admin-arbiter-{arbiter1.address}")).to_contain_text("fee 2%")
    # The connected admin cannot lock themselves out from here.
    expect(page.by(f"revoke-Marketplace-DEFAULT_ADMIN_ROLE-{admin.address}")).to_have_count(0)
    save_screenshot(page.page, "admin")


def test_admin_pauses_and_unpauses_the_marketplace(mall, open_mall, admin, alice):
    page = open_admin(open_mall, admin)
    expect(page.by("admin-paused-state")).to_have_attribute("data-paused", "false")
    page.click_and_wait("admin-pause")
    assert mall.marketplace.paused()
    expect(page.by("admin-paused-state")).to_have_attribute("data-paused", "true")
    expect(page.by("admin-paused-state")).to_contain_text("The marketplace is paused")

    # While paused, a seller's new listing is refused with the reason in words.
    seller = open_mall(alice)
    seller.connect(alice)
    seller.go("seller")
    seller.page.locator("#list-product summary").click()
    seller.by("list-name").fill("Paused-time teapot")
    seller.by("list-price").fill("0.01")
    text = seller.click_and_wait("list-submit", state="failed")
    assert "The marketplace is paused" in text

    page.click_and_wait("admin-unpause")
    assert not mall.marketplace.paused()
    expect(page.by("admin-paused-state")).to_have_attribute("data-paused", "false")


def test_admin_changes_the_fees_and_a_refused_fee_changes_nothing(mall, open_mall, admin):
    page = open_admin(open_mall, admin)
    before = mall.marketplace.currentTermsId()
    expect(page.by("admin-terms-now")).to_contain_text(f"platform fee {DEFAULT_TERMS['feeBps'] / 100:g}%")

    page.by("admin-terms-feeBps-current").fill("25")  # above the contract's 20% ceiling
    text = page.click_and_wait("admin-terms-current", state="failed")
    assert "Setting the terms for new orders failed" in text
    assert mall.marketplace.currentTermsId() == before

    page.by("admin-terms-feeBps-current").fill("3.5")
    page.by("admin-terms-acceptWindow-current").fill("36")
    page.click_and_wait("admin-terms-current")
    assert mall.marketplace.currentTermsId() == before + 1
    terms = mall.marketplace.getTerms(before + 1)
    assert terms.feeBps == 350
    assert terms.acceptWindow == 36 * 3600
    assert terms.shipWindow == DEFAULT_TERMS["shipWindow"]
    expect(page.by("admin-terms-now")).to_contain_text("platform fee 3.5%; the seller accepts within 36 hours")

    page.by("admin-terms-feeBps-current").fill("")
    page.by("admin-terms-current").click()
    expect(page.page.locator("#admin-terms-error-current")).to_contain_text("Enter the platform fee as a percentage")
    assert mall.marketplace.currentTermsId() == before + 1


def test_admin_allow_lists_a_token_then_disallows_it(mall, open_mall, admin, project):
    token = project.DemoStablecoin.deploy(admin, sender=admin)
    mall.sync()
    page = open_admin(open_mall, admin)

    page.by("admin-token-address-new").fill("0x1234")
    page.by("admin-token-new").click()
    expect(page.page.locator("#admin-token-error-new")).to_contain_text("Enter the token address as a 0x address")

    page.by("admin-token-address-new").fill(token.address)
    page.click_and_wait("admin-token-new")
    assert mall.marketplace.isTokenAllowed(token.address)
    entry = page.by(f"admin-token-{token.address}")
    expect(entry).to_have_attribute("data-allowed", "true")
    expect(entry).to_contain_text(token.symbol())

    page.click_and_wait(f"admin-token-toggle-{token.address}")
    assert not mall.marketplace.isTokenAllowed(token.address)
    expect(page.by(f"admin-token-{token.address}")).to_have_attribute("data-allowed", "false")


def test_admin_grants_and_revokes_a_role(mall, open_mall, admin, mallory):
    page = open_admin(open_mall, admin)
    pauser = mall.marketplace.PAUSER_ROLE()
    page.by("admin-role-contract").select_option("Marketplace")
    page.by("admin-role-name").select_option("PAUSER_ROLE")
    page.by("admin-role-account").fill(mallory.address)
    page.by("admin-role-check").click()
    expect(page.by("admin-role-result")).to_have_text(f"{mallory.address} does not hold PAUSER_ROLE on Marketplace.")

    page.click_and_wait("admin-role-grant")
    assert mall.marketplace.hasRole(pauser, mallory)
    expect(page.by(f"holder-Marketplace-PAUSER_ROLE-{mallory.address}")).to_contain_text("yes")

    page.click_and_wait(f"revoke-Marketplace-PAUSER_ROLE-{mallory.address}")
    assert not mall.marketplace.hasRole(pauser, mallory)
    expect(page.by(f"holder-Marketplace-PAUSER_ROLE-{mallory.address}")).to_have_count(0)

    # Revoking one's own admin role is refused before anything is sent.
    page.by("admin-role-name").select_option("DEFAULT_ADMIN_ROLE")
    page.by("admin-role-account").fill(admin.address)
    page.by("admin-role-revoke").click()
    expect(page.by("admin-role-result")).to_contain_text("You cannot revoke your own admin role")
    assert mall.marketplace.hasRole(b"\x00" * 32, admin)


def test_admin_registers_an_arbiter_and_sets_a_points_rule(mall, open_mall, admin, mallory, project):
    page = open_admin(open_mall, admin)
    page.by("admin-arbiter-address-new").fill(mallory.address)
    page.by("admin-arbiter-fee-new").fill("15")
    text = page.click_and_wait("admin-arbiter-new", state="failed")
    assert "Registering arbiter" in text

    page.by("admin-arbiter-fee-new").fill("1.5")
    page.click_and_wait("admin-arbiter-new")
    expect(page.by(f"admin-arbiter-{mallory.address}")).to_contain_text("fee 1.5%")
    page.click_and_wait(f"admin-arbiter-remove-{mallory.address}")
    expect(page.by(f"admin-arbiter-{mallory.address}")).to_have_count(0)

    record = json.loads(mall.record_path.read_text())
    points = project.MallPoints.at(record["contracts"]["MallPoints"]["address"])
    page.by("admin-checkin-value-points").fill("7")
    page.click_and_wait("admin-checkin-points")
    assert points.rulesVersion(points.rulesCount() - 1).checkInPoints == 7
    expect(page.by("admin-points-checkin")).to_have_text("7 points a day")

    transfers = points.transfersEnabled()
    page.click_and_wait("admin-transfers-toggle")
    assert points.transfersEnabled() is not transfers
    expect(page.by("admin-points-transfers")).to_have_text("on" if not transfers else "off")

    page.by("admin-rate-points-mUSD").fill("2")  # 2 points per mUSD spent
    page.click_and_wait("admin-rate-mUSD")
    expect(page.by("admin-points-rate-mUSD")).to_have_text("2 per mUSD")
    assert points.purchaseRateAt(mall.usd.address, mall.chain.blocks.head.timestamp + 1) == 2 * 10**12
