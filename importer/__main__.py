"""`python -m importer` is the same program as `salesive-import`."""

from .cli import run

run()
