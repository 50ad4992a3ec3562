/* Ranking table: sort, filter, search (placeholder; see issue 5). */
