"""Running a site: backup and restore (docs/backup.md)."""
