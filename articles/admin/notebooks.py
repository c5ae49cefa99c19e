"""Import a Jupyter notebook from the admin: the upload behind `import_notebook`.

The file goes through exactly the command's path (`read_notebook`, then
`save_entry`), so an upload and a command-line import of the same notebook
update the same article (docs/import-export.md, "Notebooks").
"""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from articles.portability.entries import EntryError, SaveOptions, save_entry
from articles.portability.notebooks import NotebookError, read_notebook

# Notebooks carry their output images inline, so they run larger than one image upload.
MAX_NOTEBOOK_BYTES = 25 * 1024 * 1024


class NotebookUploadForm(forms.Form):
    notebook = forms.FileField(
        label=gettext_lazy("Notebook"),
        help_text=gettext_lazy(
            "A Jupyter notebook (.ipynb). Importing the same notebook again updates its "
            "article. Imported notebooks start as drafts unless you may publish."
        ),
    )

    def clean_notebook(self):
        upload = self.cleaned_data["notebook"]
        if not upload.name.lower().endswith(".ipynb"):
            raise forms.ValidationError(_("Choose a .ipynb file."))
        if upload.size > MAX_NOTEBOOK_BYTES:
            raise forms.ValidationError(
                _("The notebook is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": upload.size // 2**20, "limit": MAX_NOTEBOOK_BYTES // 2**20}
            )
        return upload


def _import(upload, request, model_admin):
    """Save the upload as its article; return (article, action) or raise NotebookError."""
    with tempfile.TemporaryDirectory() as folder:
        # The file name is part of the article's identity when the notebook has no slug.
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as file:
            for chunk in upload.chunks():
                file.write(chunk)
        with transaction.atomic():
            entry = read_notebook(path)
            existing = Article.objects.filter(source_key=entry.source_key).first()
            if existing is not None and not model_admin.has_change_permission(request, existing):
                raise NotebookError(
                    _("%(name)s: its article belongs to someone else; you may not change it.")
                    % {"name": path.name}
                )
            may_publish = request.user.has_perm("articles.publish_article")
            options = SaveOptions(
                status=None if may_publish else Article.Status.DRAFT, author=request.user
            )
            try:
                action = save_entry(entry, options=options)
            except EntryError as error:
                raise NotebookError(f"{path.name}: {error.message}") from None
    return Article.objects.get(source_key=entry.source_key), action


def notebook_import_view(model_admin, request):
    """Show the upload form; import the notebook and open its article."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = NotebookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            article, action = _import(form.cleaned_data["notebook"], request, model_admin)
        except NotebookError as error:
            form.add_error("notebook", str(error))
        else:
            messages.success(
                request, _("“%(title)s”: %(action)s.") % {"title": article.title, "action": action}
            )
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import a Jupyter notebook"),
        "form": form,
    }
    return TemplateResponse(request, "admin/articles/article/import_notebook.html", context)
