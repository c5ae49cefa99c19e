import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
application = get_wsgi_application()

# At start-up rather than on a reader's first request: it reads every source file.
from articles.caching.release import release_version  # noqa: E402

release_version()
