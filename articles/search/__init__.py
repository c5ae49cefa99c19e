"""Chinese and English full-text search in PostgreSQL (docs/search.md).

`documents` turns an article into weighted text with Chinese cut into words and
imports no models, so `Article.save()` can build its own document; `index`
writes documents for many articles, `signals` keeps them in step with tags and
category names, `query` parses what readers type and `results` pages through
every match with an exact count.
"""
