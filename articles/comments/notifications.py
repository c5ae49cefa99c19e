"""Who hears about a comment: moderators of a held one, a commenter of a reply to theirs."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from articles.comments import links
from articles.comments.outbox import queue_mail
from articles.models import CommentStatus


def moderators_of(article):
    """Return the addresses of editors (who may publish) and of the article's authors."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    publishers = Q(is_superuser=True) | Q(groups__permissions__codename="publish_article")
    publishers |= Q(user_permissions__codename="publish_article")
    emails = set(users.filter(publishers).values_list("email", flat=True))
    authors = article.credited_people().filter(is_active=True).exclude(email="")
    emails.update(authors.values_list("email", flat=True))
    return sorted(emails)


def notify_moderators(comment):
    """Queue an email with the comment and one-click moderation links to each moderator."""
    actions = [
        (action, links.moderation_url(comment, action)) for action in links.MODERATION_ACTIONS
    ]
    context = {"comment": comment, "article": comment.article, "actions": actions}
    subject = _("Comment awaiting moderation on “%(title)s”") % {"title": comment.article.title}
    queue_mail(
        to=moderators_of(comment.article), subject=subject, template="moderate", context=context
    )


def notify_reply(reply):
    """Tell the parent comment's author about an approved reply, if they asked to be told."""
    parent = reply.parent
    if (
        parent is None
        or reply.status != CommentStatus.APPROVED
        or not parent.wants_replies
        or not parent.email
        or parent.status != CommentStatus.APPROVED
        or parent.email_hash == reply.email_hash
    ):
        return
    context = {
        "reply": reply,
        "parent": parent,
        "article": reply.article,
        "reply_url": links.absolute(reply.get_absolute_url()),
        "delete_url": links.delete_url(parent),
    }
    subject = _("%(name)s replied to your comment on “%(title)s”") % {
        "name": reply.name,
        "title": reply.article.title,
    }
    queue_mail(
        to=parent.email,
        subject=subject,
        template="reply",
        context=context,
        unsubscribe_url=links.unsubscribe_url(parent),
    )


def send_forget_link(email, email_hash):
    """Queue the link that deletes every comment posted with this address."""
    queue_mail(
        to=email,
        subject=_("Delete your comments"),
        template="forget",
        context={"forget_url": links.forget_url(email_hash)},
    )
