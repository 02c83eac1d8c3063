"""``python -m dcplan`` is the ``dcplan`` command."""
import sys

from .cli import main

sys.exit(main())
