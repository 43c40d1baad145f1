"""Use cases: each function is one unit of work that takes its dependencies and owns its transaction.

Domain packages: `comments` (the core: submit, edit, verdict, rescore and what they share), `queue` (the moderator
queue), `perspective` and `coral` (the drop-ins) — the last three independent of each other (import-linter).
"""
