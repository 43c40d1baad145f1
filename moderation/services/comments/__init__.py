"""The comments core: submitting, editing, deciding, rescoring and recording what happened to a comment."""
