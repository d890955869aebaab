"""Database: models (``models.py``), engine and sessions (``session.py``), Alembic migrations."""
