"""What readers reach: listings, the article page, site endpoints and the sitemap.

Views start from `Article.objects.published()` (articles.models) and share their
query helpers (articles.views.queries) with the sitemap.
"""
