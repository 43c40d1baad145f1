"""The Coral Talk external moderation phase: signed requests, answered within Coral's time budget."""
