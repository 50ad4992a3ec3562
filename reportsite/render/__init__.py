"""Stage 2, render: archive + content -> each edition's pages, charts, downloads and index, in
memory, with the problems found while rendering."""
