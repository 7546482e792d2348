"""Exports of what arrears has recorded, for audit and for spreadsheets."""
