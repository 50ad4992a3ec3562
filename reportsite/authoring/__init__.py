"""The side road: the secretariat's workbook and commands (new, template, import, freeze, correct)
that write the data files the pipeline reads. No stage imports it."""
