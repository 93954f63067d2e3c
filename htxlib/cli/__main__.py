"""``python -m htxlib.cli``: the ``htx`` command."""

import sys

from htxlib.cli import main

if __name__ == "__main__":
    sys.exit(main())
