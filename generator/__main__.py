"""`python -m generator` runs the statusdocs command line."""

import sys

from generator.cli import main

sys.exit(main())
