"""Stage 6, the ``plan-kb`` command: ``command`` parses the line and runs one module of this package per
subcommand (``HELP``, ``add_arguments(parser)``, ``run(args) -> int``); adding a command is adding a module. The
top of the pipeline: it may import every stage, and nothing imports it."""

from plan_kb.cli.command import main

__all__ = ["main"]
