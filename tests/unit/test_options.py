"""A base URL is one spelling of it: the import's key, its lock and the store's ledger are named after it."""

from __future__ import annotations

import pytest

from importer.options import one_spelling


@pytest.mark.parametrize(
    ("written", "spelled"),
    [
        ("HTTP://127.0.0.1:80/api/./v1/", "http://127.0.0.1/api/v1"),
        ("https://API.Salesive.com:443/api/v1", "https://api.salesive.com/api/v1"),
        ("https://api.salesive.com/api/x/../v1//", "https://api.salesive.com/api/v1"),
        ("http://[::1]:8080/api/v1", "http://[::1]:8080/api/v1"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("https://api.salesive.com/api/v1", "https://api.salesive.com/api/v1"),
    ],
)
def test_spellings_of_one_base_url_are_one(written: str, spelled: str) -> None:
    assert one_spelling(written) == spelled
    assert one_spelling(spelled) == spelled
