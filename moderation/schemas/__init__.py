"""marshmallow shapes of what crosses the edges: API requests and responses, form posts."""
