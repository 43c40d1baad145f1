"""Site policies: the model, the loader and the pure evaluation."""
