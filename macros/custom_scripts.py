"""Glue for an xlwings Server project (``app/custom_scripts/__init__.py``): the pyxl scripts, from the package."""

from pyxl.excel.skripte import *  # noqa: F403
