"""Measurements run by `flask moderation …` commands: scoring speed, the acceptance case sets, the queue on a backlog."""
