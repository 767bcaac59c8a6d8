"""salesive-import: bring a merchant's customer spreadsheet into a Salesive store."""

__version__ = "0.1.0"
