"""The scrubber finds a secret however it is spelled."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

from importer.send.scrub import Scrubber


def test_the_scrubber_finds_every_spelling_of_every_secret() -> None:
    scrub = Scrubber()
    scrub.add("app_Secret-Token_123", "rt_refresh/Token+9", "s3cret-client")
    for secret in ("app_Secret-Token_123", "rt_refresh/Token+9", "s3cret-client"):
        for text in (
            secret, secret.upper(), quote(secret, safe=""), f"Bearer {secret}", quote(f"Bearer {secret}"),
            base64.b64encode(f"Bearer {secret}".encode()).decode(), base64.b64encode(f"Authorization: Bearer {secret}!".encode()).decode(),
            base64.urlsafe_b64encode(f"client:{secret}".encode()).decode(), secret.encode().hex(), json.dumps({"t": secret}),
        ):
            assert secret.lower() not in scrub(text).lower() and scrub(text) != text, text
