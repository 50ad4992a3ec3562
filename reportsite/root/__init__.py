"""Stage 4, root: the archive root (home, latest/, history/, 404, feed, accessibility statement)."""
