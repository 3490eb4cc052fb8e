import sys

from plan_kb.cli import main

if __name__ == "__main__":  # not when a build's worker process (started fresh) imports the main module
    sys.exit(main())
