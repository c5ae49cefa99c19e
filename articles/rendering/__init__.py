"""Markdown to safe HTML: math, highlighted code, sanitizing, previews, slugs.

Pure text in, text out: nothing here imports a model, so the pipeline can be
run (and tested) without a database. `pipeline.render_article` is the one
entry point that `Article.save()` and the editor's live preview share.
"""
