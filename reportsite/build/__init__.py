"""Stage 5, build: the pipeline that runs the stages, and what keeps it safe (the output guard,
the lock, the worker processes, frozen editions) and the local preview."""
