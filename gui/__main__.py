"""``python -m gui``: the desktop app, as ``hindsight gui``."""

import sys

from gui.app import main

sys.exit(main())
