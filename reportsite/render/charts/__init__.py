"""Charts: a declaration in content -> a spec (data) -> its static figure (SVG, table, CSV, JSON)."""
