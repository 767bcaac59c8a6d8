"""Reading: a merchant's file in, its tables of text cells out.

Takes a CSV (its code page and delimiter found), an Excel workbook, an old .xls or
a LibreOffice .ods, and gives each sheet's tables as frames of the cells as the
merchant sees them (number formats applied, hidden columns, merges and tables
known), with a snapshot of the bytes so that a file changed during an import stops it.
"""
