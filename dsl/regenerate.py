"""Language: regenerate the stored grammar tables and catalog trees after editing either.

`python -m ccc.dsl.regenerate` rewrites `cc.lark.json` (`tables`) and `std.ast.json`
(`stdcache`); the tests check both are current. A module of its own so that neither of the
two imports the other.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ccc.dsl import stdcache, tables

__all__ = ["main"]


def main() -> None:
    here = Path(__file__).resolve().parent
    tables.write(here / tables.TABLES)
    stdcache.write(here / "std", here / stdcache.CACHE)
    sys.stdout.write(f"wrote {here / tables.TABLES} and {here / stdcache.CACHE}\n")


if __name__ == "__main__":
    main()
