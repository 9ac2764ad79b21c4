"""Everything SQL: engine, models, repositories and Alembic migrations."""
