"""The same modules in headless Chromium, where tweetnacl draws its randomness from
crypto.getRandomValues (under Node it uses the crypto module): PyNaCl opens what the page seals,
and the page opens what PyNaCl seals."""

import pytest
from js_crypto import bundle
from nacl.public import PrivateKey, SealedBox

CHROMIUM = "/usr/bin/chromium"
ADDRESS = "Ólafur Þórsson\nLaugavegur 12\n101 Reykjavík"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    script = bundle(tmp_path_factory.mktemp("browser") / "crypto.js", browser=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page()
            page.set_content("<!doctype html><title>crypto</title>")
            page.add_script_tag(path=str(script))
            yield page
        finally:
            browser.close()


def test_browser_seals__pynacl_opens(page):
    recipient = PrivateKey.generate()
    key = "0x" + recipient.public_key.encode().hex()
    first, second = page.evaluate(
        "([key, text]) => [mallCrypto.encryptFor(key, text), mallCrypto.encryptFor(key, text)]", [key, ADDRESS]
    )
    assert first != second
    for envelope in (first, second):
        assert SealedBox(recipient).decrypt(bytes.fromhex(envelope[2:])).decode() == ADDRESS


def test_pynacl_seals__browser_opens(page):
    recipient = PrivateKey.generate()
    sealed = SealedBox(recipient.public_key).encrypt(ADDRESS.encode())
    opened = page.evaluate(
        "([secret, envelope]) => mallCrypto.decryptWith(secret, envelope)",
        ["0x" + recipient.encode().hex(), "0x" + sealed.hex()],
    )
    assert opened == ADDRESS


def test_browser_refuses_a_missing_key_with_a_sentence(page):
    error = page.evaluate(
        """() => {
          try { mallCrypto.encryptFor('0x' + '00'.repeat(32), 'x'); } catch (e) { return [e.name, e.message]; }
        }"""
    )
    assert error[0] == "EncryptionKeyError" and error[1].startswith("No encryption key:")
