"""Storage: typed SQLAlchemy 2 models, column types, sessions and Alembic migrations."""
