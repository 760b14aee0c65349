"""Spreadsheets in (python-calamine) and documents out (openpyxl); may import domain and
errors but never store, app or cli."""
