"""Reporting: what a run leaves, readable by its user alone.

Takes each row's outcome and gives the run folder: a CSV per category, the
report workbook, summary.json, the progress shown meanwhile, and the private
file modes everything is written with.
"""
