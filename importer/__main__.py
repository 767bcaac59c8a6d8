"""`python -m importer` is the same program as `salesive-import`."""

import sys

from .cli import main

sys.exit(main())
