"""Stage 3, write: an edition's pages -> its built folder (MkDocs, stamped pages, PDF, last touches)."""
