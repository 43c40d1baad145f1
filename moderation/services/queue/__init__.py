"""The moderator queue's use cases: accounts and sign-in, lists, claims, decisions, authors, the audit log."""
