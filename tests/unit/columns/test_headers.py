"""Platform exports and headers in any case, accents or punctuation map to the fields they mean."""

from __future__ import annotations

import pytest

from importer.columns.column_map import map_columns

from ...made_files import PLATFORMS


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_platform_exports_are_recognised(platform: str) -> None:
    header, expected = PLATFORMS[platform]
    assert map_columns(header).columns == {f: expected[f] for f in sorted(expected, key=lambda f: header.index(expected[f]))}


def test_headers_fold_case_accents_and_punctuation() -> None:
    mapped = map_columns(["  NOMBRE ", "Correo Electrónico", "Téléphone", "E_MAIL"]).columns
    assert mapped == {"name": "  NOMBRE ", "email": "E_MAIL", "phone": "Téléphone"}
