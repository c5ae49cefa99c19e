"""Shared pieces of the inlines on the article's edit page."""

from django.forms.models import BaseInlineFormSet


class OptionalInlineFormSet(BaseInlineFormSet):
    """Treat a post without an inline's fields as "leave it alone".

    Article forms posted by scripts and older pages carry no inline management
    data; without this, Django would reject the whole article form for it.
    """

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        if data is not None:
            prefix = prefix or self.get_default_prefix()
            if f"{prefix}-TOTAL_FORMS" not in data:
                data = data.copy()
                data[f"{prefix}-TOTAL_FORMS"] = "0"
                data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, prefix=prefix, **kwargs)
