"""Call the browser's crypto modules (frontend/src/crypto) under Node, bundled by esbuild as the
dApp bundle is (imported by bare name: pytest puts this folder on sys.path)."""

import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
CRYPTO_DIR = REPO / "frontend" / "src" / "crypto"
CALL_JS = Path(__file__).with_name("call_js.cjs")
ENTRY = "export * from './sealedBox.js';\nexport * from './encryptionKey.js';\n"


class JsError(Exception):
    """An Error thrown by the JavaScript function: .name and .message as the page would see them."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


def bundle(outfile: Path, *, browser: bool = False) -> Path:
    """For Node: a CommonJS module. For a page: a script that sets `window.mallCrypto`."""
    if browser:
        target = ["--platform=browser", "--format=iife", "--global-name=mallCrypto"]
    else:
        target = ["--platform=node", "--format=cjs"]
    subprocess.run(
        [str(ESBUILD), "--bundle", *target, "--log-level=warning", f"--outfile={outfile}"],
        input=ENTRY, text=True, check=True, cwd=CRYPTO_DIR,  # stdin's imports resolve from the cwd
    )  # fmt: skip
    return outfile


class Js:
    """`js(fn, *args)` calls one exported function; `js.many([(fn, args), ...])` several in one Node
    process and returns each result or a JsError instance. Bytes come back as 0x-hex."""

    def __init__(self, bundle_path: Path):
        self.bundle = bundle_path

    def many(self, calls):
        payload = json.dumps([{"fn": fn, "args": list(args)} for fn, args in calls])
        done = subprocess.run(
            ["node", str(CALL_JS), str(self.bundle)], input=payload, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
        return [JsError(**result["error"]) if "error" in result else result["ok"] for result in results]

    def __call__(self, fn, *args):
        (result,) = self.many([(fn, args)])
        if isinstance(result, JsError):
            raise result
        return result
