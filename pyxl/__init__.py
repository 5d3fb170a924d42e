"""pyxl — Rechner, amtliche Vorlagen und Prüfung von Arbeitsmappen für die öffentliche Verwaltung."""

__version__ = "0.1.0"
