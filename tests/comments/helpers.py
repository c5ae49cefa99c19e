"""Posting comments the way a browser without JavaScript does: read the form, post it back."""

import time

from django.urls import reverse

from articles.comments.spam import make_stamp

FORM_AGE = 60  # seconds: an honest reader who took a minute to write


def old_stamp(article, seconds=FORM_AGE):
    return make_stamp(article.pk, now=time.time() - seconds)


def comment_data(article, **fields):
    data = {
        "name": "Lin",
        "email": "",
        "website": "",
        "body": "A thoughtful remark about $e^{i\\pi} + 1 = 0$.",
        "stamp": old_stamp(article),
        "homepage": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post_comment(client, article, *, ip="203.0.113.7", headers=None, **fields):
    return client.post(
        reverse("comments:post", kwargs={"article_pk": article.pk}),
        comment_data(article, **fields),
        REMOTE_ADDR=ip,
        headers=headers,
    )
