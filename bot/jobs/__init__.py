"""Scheduled jobs (digest, reminders); each is idempotent per run key, so a re-run is safe."""
