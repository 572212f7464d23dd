"""The frozen app's entry point: the same ``workbench`` command as the installed one."""

import logging
import multiprocessing
import sys

from workbench.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # DataLoader workers re-enter here on Windows and macOS
    # the build leaves out triton (torch.compile's GPU compiler cannot work frozen); torch
    # says so on every FLOP count otherwise
    logging.getLogger("torch.utils.flop_counter").setLevel(logging.ERROR)
    sys.exit(main())
