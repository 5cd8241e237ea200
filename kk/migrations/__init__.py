"""Alembic migrations shipped inside the package (script_location `kk:migrations`)."""
