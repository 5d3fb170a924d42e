"""Glue for an xlwings Server project (``app/custom_functions/__init__.py``): every pyxl function, from the package.

pyxl's own server (``pyxl serve``) imports :mod:`pyxl.excel.funktionen` directly; this file is for a deployment
that runs the official xlwings Server instead.
"""

from pyxl.excel.funktionen import *  # noqa: F403
