"""``python -m reconnection_conformance``: the same as the ``reconnection-conformance`` command."""

import sys

from reconnection_conformance.cli import main

sys.exit(main())
