"""Headless validation of submitted workbooks (safe gate → form recognition → rules → report).

Not built yet: see the issue "Headless validation of submitted workbooks". Nothing here is called by the CLI.
"""
