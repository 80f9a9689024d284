"""Writers for what people read: Excel workbooks and CSV files (the only users of openpyxl's writer)."""
