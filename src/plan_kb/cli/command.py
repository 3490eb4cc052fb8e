"""The ``plan-kb`` command. Each subcommand is a module of ``plan_kb.cli`` with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; adding a command is adding a module."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path

from plan_kb.errors import Ambiguous, PlanKBError, ValidationFailed


def progress(message: str) -> None:
    """Progress on a terminal, silence in a pipe."""
    if sys.stderr.isatty():
        print(f"… {message}", file=sys.stderr, flush=True)


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``only`` (a command's module name) just that command, so that one command starts
    without importing all the others."""
    ap = argparse.ArgumentParser(prog="plan-kb", description="A knowledge base of government action plans.")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    infos = sorted((m for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name != "command"),
                   key=lambda m: m.name)
    picked = [i for i in infos if i.name == only]
    if picked and getattr(importlib.import_module(f"plan_kb.cli.{only}"), "NAME", only) == only:
        infos = picked
    for info in infos:
        mod = importlib.import_module(f"plan_kb.cli.{info.name}")
        name = getattr(mod, "NAME", info.name)
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = parser(only=argv[0] if argv else None)
    args = ap.parse_args(argv)
    if not getattr(args, "_run", None):
        ap.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except Ambiguous as exc:
        print(f"plan-kb: {exc}", file=sys.stderr)
        for c in exc.candidates:
            print(f"  {c}", file=sys.stderr)
        return 2
    except PlanKBError as exc:
        print(f"plan-kb: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, ValidationFailed) else 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
