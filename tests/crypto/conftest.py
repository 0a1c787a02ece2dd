"""The browser's crypto modules, bundled once per session for Node (see js_crypto.py)."""

import pytest
from js_crypto import Js, bundle


@pytest.fixture(scope="session")
def js(tmp_path_factory) -> Js:
    return Js(bundle(tmp_path_factory.mktemp("crypto") / "crypto.cjs"))
