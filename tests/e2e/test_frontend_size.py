"""What the browser downloads for the dApp, measured on the bundle the e2e tests build: printed and
written to bench-results/frontend-size.json (a report, not a limit: this test fails only if a file
is missing or the measurement is wrong, never because the page grew).

Run: ape test tests/e2e/test_frontend_size.py -s
"""

import gzip
import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _frontend_size():
    spec = importlib.util.spec_from_file_location("frontend_size", REPO / "tools" / "frontend_size.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_frontend_size_is_reported(frontend_built, capsys):
    tool = _frontend_size()
    out = REPO / "bench-results" / "frontend-size.json"
    assert tool.main(["--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert [entry["path"] for entry in report["files"]] == list(tool.FILES)
    bundle = (frontend_built / "dist" / "app.js").read_bytes()
    entry = report["files"][1]
    assert entry["bytes"] == len(bundle)
    assert entry["gzipBytes"] == len(gzip.compress(bundle, compresslevel=9, mtime=0)) < entry["bytes"]
    assert report["total"]["bytes"] == sum(entry["bytes"] for entry in report["files"])
    with capsys.disabled():
        print("\nWhat the browser downloads:\n" + tool.table(report))
