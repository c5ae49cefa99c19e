from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles.search.signals import connect_signals

        connect_signals()
        # The receivers that move the content token keying every cache entry.
        from articles.caching import invalidation

        invalidation.connect()
        # The receivers that ping the WebSub hub after articles change.
        from articles.feeds import websub  # noqa: F401
        from articles.rendering import checks  # noqa: F401
