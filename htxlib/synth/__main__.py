"""``python -m htxlib.synth``: see :mod:`htxlib.synth`."""

import sys

from htxlib.synth import main

sys.exit(main())
