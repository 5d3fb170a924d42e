"""Run in a subprocess: decorate pyxl.excel.funktionen with classic xlwings' own decorators (as on Windows without
XLWINGS_ON_SERVER) and print the VBA wrappers "Import Functions" would write. Windows' COM modules are stubbed —
only to import xlwings.udfs; nothing here talks to Excel.
"""

import io
import sys
import types

for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["pythoncom"].CoInitialize = lambda: None
sys.modules["win32com.client"].Dispatch = None

import xlwings.udfs as udfs  # noqa: E402

import pyxl.excel.xw as xw  # noqa: E402

xw.func, xw.arg = udfs.xlfunc, udfs.xlarg  # what pyxl.excel.xw picks on Windows
import pyxl.excel.funktionen as modul  # noqa: E402

puffer = io.StringIO()
udfs.generate_vba_wrapper("pyxl.excel.funktionen", modul, puffer, types.SimpleNamespace(Name="pyxl.xlam"))
print(puffer.getvalue())
print(f"Kategorie: {modul.RZW_ZUWENDUNGSSATZ.__xlfunc__['category']}")
print(f"Aufruf: {modul.RZW_ZUWENDUNGSSATZ(5000.5, None)}")
