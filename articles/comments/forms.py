"""The comment form: what a reader may send, checked before any spam defence runs."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from articles.comments.spam import HONEYPOT_FIELD
from articles.feeds.content import xml_safe
from articles.models import Comment, CommentStatus


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Never shown; only for reply emails and your picture."),
    )
    website = forms.URLField(
        label=_("Website (optional)"), required=False, max_length=200, assume_scheme="https"
    )
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown, with $math$, $$display math$$ and ``` code ```."),
    )
    wants_replies = forms.BooleanField(label=_("Email me replies"), required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and from assistive technology; bots fill it.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["body"].validators.append(MaxLengthValidator(settings.COMMENTS_MAX_CHARS))
        assert HONEYPOT_FIELD in self.fields

    def clean_name(self):
        # Control characters are invisible here and would break the comment feeds' XML.
        name = " ".join(xml_safe(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(_("Please give a name."))
        return name

    def clean_body(self):
        body = xml_safe(self.cleaned_data["body"]).replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("The comment is empty."))
        return body

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if not pk:
            return None
        parent = (
            Comment.objects.filter(pk=pk, article=self.article, status=CommentStatus.APPROVED)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(_("The comment you are replying to is not there."))
        # One level of replies: answering a reply joins its thread.
        return parent.parent or parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_replies") and not cleaned.get("email"):
            self.add_error("email", _("Give an email address to hear about replies."))
        return cleaned
