"""Reading settings from environment variables: one function per kind of value.

An empty variable counts as unset. A malformed value stops start-up with a
message naming the variable, rather than being read as the default.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def env(name, default=None):
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def _number(name, default, parse, kind):
    value = env(name)
    if value is None:
        return default
    try:
        return parse(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {kind}, not {value!r}.") from None


def env_int(name, default):
    return _number(name, default, int, "a whole number")


def env_float(name, default):
    return _number(name, default, float, "a number")


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name):
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The {name} environment variable is required when DEBUG is off. "
            "See the configuration table in README.md."
        )
    return value
