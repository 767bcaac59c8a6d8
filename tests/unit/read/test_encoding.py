"""The encoding check judges a file whole, whatever its reads cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from importer.read.encoding import CODE_PAGES
from importer.read.sheet import open_tables


@pytest.mark.parametrize("middle, expected", [
    ("é".encode(), "utf-8"),  # one character split by a chunk boundary
    (b"\xc3" + b"y" * (1 << 20) + b"\xa9", "a code page"),  # a lead byte, a whole ASCII chunk, then its lost partner
])
def test_the_encoding_check_sees_bytes_cut_at_a_read_boundary(tmp_path: Path, middle: bytes, expected: str) -> None:
    # The file is read in 1 MiB chunks and ASCII chunks skip the decoder: what a
    # chunk boundary cuts must still be judged as the whole file's bytes.
    head = b"name,email\n" + b"Ada Obi,ada@example.com\n" * 50_000 + b"Ada Obi,ada1@example.com"
    boundary = ((len(head) >> 20) + 1) << 20
    path = tmp_path / "big.csv"
    path.write_bytes(head + b"x" * (boundary - 1 - len(head)) + middle + b"\n" + b"Ada Obi,ada2@example.com\n" * 1000)
    encoding = open_tables(path)[0].encoding
    assert encoding == expected if expected == "utf-8" else encoding in CODE_PAGES
