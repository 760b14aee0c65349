"""Spreadsheets in (python-calamine) and reports out (openpyxl)."""
