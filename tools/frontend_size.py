"""Report the size of what a browser downloads for the dApp: index.html, the bundle and the stylesheet,
raw and gzip-compressed (level 9, what a server or CDN would send with Content-Encoding: gzip). The
page loads nothing else: no CDN, no fonts, the icon is a data: URI, the source map only with devtools.

    python tools/frontend_size.py [--json bench-results/frontend-size.json]

Build the bundle first (``npm run --silent build:frontend``). Reports; never fails on size.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILES = ("frontend/index.html", "frontend/dist/app.js", "frontend/styles.css")


def measure(repo: Path = REPO) -> dict:
    """{"files": [{"path", "bytes", "gzipBytes"}], "total": {"bytes", "gzipBytes"}}."""
    files = []
    for relative in FILES:
        data = (repo / relative).read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        files.append({"path": relative, "bytes": len(data), "gzipBytes": len(packed)})
    total = {key: sum(entry[key] for entry in files) for key in ("bytes", "gzipBytes")}
    return {"files": files, "total": total}


def table(report: dict) -> str:
    rows = [(entry["path"], entry["bytes"], entry["gzipBytes"]) for entry in report["files"]]
    rows.append(("total", report["total"]["bytes"], report["total"]["gzipBytes"]))
    width = max(len(path) for path, _, _ in rows)
    lines = [f"{'file':<{width}}  {'bytes':>9}  {'gzip':>9}"]
    lines += [f"{path:<{width}}  {raw:>9,}  {packed:>9,}" for path, raw, packed in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    try:
        report = measure()
    except FileNotFoundError as err:
        print(f"{err.filename} is missing: build the frontend first (npm run --silent build:frontend)", file=sys.stderr)
        return 1
    print(table(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
