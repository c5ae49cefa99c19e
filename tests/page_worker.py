"""A stand-in for one app server process: reads paths on stdin, answers JSON lines.

Run by tests/test_cache_processes.py, twice, so two processes with their own
memory (and their own local-memory cache) serve the same database.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")

import django

django.setup()

from django.test import Client  # noqa: E402


def main():
    client = Client()
    for line in sys.stdin:
        path = line.strip()
        response = client.get(path)
        print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
