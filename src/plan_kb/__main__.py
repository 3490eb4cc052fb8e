import sys

from plan_kb.cli import main

sys.exit(main())
