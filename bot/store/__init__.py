"""The SQL store: models, sessions, migrations and the aggregate queries."""
