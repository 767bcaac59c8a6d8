"""Mapping: which row is the header and which column feeds which field.

Takes the tables the reading stage gives and finds, on their first rows, the header
and the columns for name, email, phone, active and user, by the words of their
headers (the layouts of known exports and many languages, as data) and by their
values; gives the chosen table with its column map and the notes that explain it.
"""
