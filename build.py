#!/usr/bin/env python3
"""Command line of the report-site generator: check the data, build, serve and package the site.

    python build.py                 check, then build every edition into site/
    python build.py check           check the data only
    python build.py serve           build, preview on localhost, rebuild on change
    python build.py package         zip site/ with a manifest, ready to upload

Run `python build.py COMMAND --help` for the options of each command.
"""

import sys

from reportsite.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
