"""``plan-kb calendar [--agency X] [--plan K] > duties.ics``: the deadlines as an RFC 5545 calendar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plan_kb.answers.calendar import DAILY_CHOICES, UNDATED_CHOICES, calendar_bytes
from plan_kb.store.folders import build_time, current_dir
from plan_kb.store.view import open_view

HELP = ("write the deadlines as an iCalendar (.ics) file: dated deadlines as events, recurring duties with RRULE, "
        "undated ones on the plan's last day")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--agency", help="only items of this agency (any of its names: 省住建厅, 生态环境厅 …)")
    p.add_argument("--plan", help="only this plan (its key: water, air, soil, groundwater …)")
    p.add_argument("--daily", choices=DAILY_CHOICES, default="weekly",
                   help="a daily duty as one reminder a week (weekly, the default) or an event every day (daily)")
    p.add_argument("--undated", choices=UNDATED_CHOICES, default="event",
                   help="a deadline with no date of its own: an all-day event on the plan's last day, marked as "
                        "undated (event, the default), a VTODO (todo), or left out (omit)")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")


def run(args: argparse.Namespace) -> int:
    folder = current_dir()
    data = calendar_bytes(open_view(folder), agency=args.agency, plan=args.plan, stamp=build_time(folder),
                          daily=args.daily, undated=args.undated)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0
