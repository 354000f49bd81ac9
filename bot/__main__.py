"""`python -m bot` is the `musrenbang` command."""

from bot.cli import main

raise SystemExit(main())
