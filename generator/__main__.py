"""`python -m statusdocs` runs the statusdocs command line."""

import sys

from .cli import main

sys.exit(main())
