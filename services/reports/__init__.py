"""The daily summary to Bappeda: figures, message, chart and workbook."""
