"""PostgreSQL access: engine, sessions, tenant scoping, row-level security, migrations."""
