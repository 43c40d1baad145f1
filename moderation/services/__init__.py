"""Use cases: each function is one unit of work that takes its dependencies and owns its transaction."""
