"""Product metadata: the JSON document a listing's metadataURI points at.

Only self-contained ``data:`` URIs are decoded here (the demo uses them); fetching ipfs:// or
https:// documents belongs to a later, asynchronous enrichment step, so ingest never blocks on a
third-party server.
"""

import base64
import json
from urllib.parse import unquote

FIELDS = ("name", "category", "description", "image")
MAX_FIELD_LENGTH = 2_000


def parse_metadata_uri(uri: str) -> dict[str, str]:
    """The known text fields of a data: JSON document, or {} if it is not one."""
    if not uri.startswith("data:"):
        return {}
    header, sep, payload = uri[5:].partition(",")
    if not sep or header.split(";")[0] not in ("application/json", ""):
        return {}
    try:
        text = base64.b64decode(payload).decode() if header.endswith(";base64") else unquote(payload)
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(document, dict):
        return {}
    return {key: value[:MAX_FIELD_LENGTH] for key in FIELDS if isinstance(value := document.get(key), str) and value}
