"""``python -m etax`` is the ``etax`` command."""

from etax.cli import main

raise SystemExit(main())
