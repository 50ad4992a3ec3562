"""Stage 1, read: the data folder -> a checked archive and every problem found in it."""
