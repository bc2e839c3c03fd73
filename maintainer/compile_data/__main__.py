"""``python -m maintainer.compile_data``: run the compile step (see :mod:`maintainer.compile_data`)."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
