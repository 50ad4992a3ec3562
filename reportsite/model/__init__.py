"""The shared model: typed records and problems, the words a user reads, the errors, the figures
every stage prints, escaping and the project's paths. Imports no stage."""
