"""Moving in and out: Markdown and WordPress importers, dialects, front matter, export.

See docs/import-export.md. Every importer produces `entries.Entry` values and
saves them through `entries.save_entry`, so re-running an import updates the
same articles instead of duplicating them.
"""
