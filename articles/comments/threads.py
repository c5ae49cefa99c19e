"""An article's approved comments, in threads: what the page shows under it."""

from articles.models import Comment


def threads_of(article):
    """Return [(comment, [replies])] of an article's approved comments, oldest first."""
    comments = list(
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        .only(
            "pk", "parent_id", "user_id", "name", "website", "body_html", "email_hash",
            "is_staff_reply", "created_at",
        )
        .in_thread_order()
    )  # fmt: skip
    replies = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(c, replies.get(c.pk, [])) for c in comments if not c.parent_id], len(comments)
