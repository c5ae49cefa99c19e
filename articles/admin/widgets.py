"""The body field's editor: markdownx's field and endpoints, with Inkstone's own script.

The widget stays a markdownx widget (same textarea name, same preview and upload
endpoints), but its page furniture (toolbar, side-by-side preview, problems panel)
and its script are ours: static/js/editor.js, plain JavaScript under the strict CSP.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from markdownx.widgets import AdminMarkdownxWidget


class DeskEditorWidget(AdminMarkdownxWidget):
    template_name = "admin/articles/desk_widget.html"

    def get_context(self, name, value, attrs=None):
        context = super().get_context(name, value, attrs)
        context["max_chars"] = settings.MAX_BODY_CHARS
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which sees only apps' templates).
        attrs = {**(attrs or {}), **self.attrs}
        attrs.update(self.add_markdownx_attrs(attrs))
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    class Media:
        # Not markdownx's script: ours replaces it (one preview request per pause, not two).
        extend = False
        css = {"all": ("css/content.css", "css/editor.css")}
        js = ("js/editor.js", "js/desk-preview.js", "js/desk-save.js")
