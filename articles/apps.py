from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.search.signals import connect_signals

        connect_signals()
        # Connect the receivers that ping the WebSub hub after articles change, and
        # those that move the content generation keying the page cache.
        from articles.caching import card_freshness, freshness, links_freshness  # noqa: F401
        from articles.feeds import websub  # noqa: F401
        from articles.rendering import checks  # noqa: F401
