"""``python -m maintainer.refresh``: run the refresh (see :mod:`maintainer.refresh`)."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
