"""Post an admin change form back the way a browser would, from the page it showed."""

from django.utils import timezone
from taggit.utils import edit_string_for_tags


def form_data(response, **overrides):
    """Return the POST data of the admin form in `response`, with `overrides` applied."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "published_at" and isinstance(value, list | tuple):
            # A bound form (one shown again with errors) holds the split inputs.
            data["published_at_0"], data["published_at_1"] = value
        elif name == "published_at":
            local = timezone.localtime(value) if value else None
            data["published_at_0"] = local.strftime("%Y-%m-%d") if local else ""
            data["published_at_1"] = local.strftime("%H:%M:%S") if local else ""
        elif name == "tags":
            data[name] = value if isinstance(value, str) else edit_string_for_tags(value or [])
        else:
            data[name] = "" if value is None else value
    data.update(overrides)
    return data
