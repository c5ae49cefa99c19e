"""Model instances to plain data and back, for the shared cache.

The shared cache holds only plain values (strings, numbers, dates, tuples,
lists and dicts of them), never pickled model instances: an instance pickled by
one release may not unpickle in the next (a field added or renamed), and every
reader would fail until the entry expired. A row is kept as its field names
and values and rebuilt with `Model.from_db`, as if just loaded from the
database; fields it does not carry stay deferred.

Related rows are those the query joined (select_related), named the same way:
"author", or "series_part__series" for a row joined through another. A
reverse one-to-one the query found empty (an article in no series) is kept as
None, so reading it raises DoesNotExist as after the query, without a query.
"""

from django.db import router
from django.db.models.fields.files import FieldFile


def _nested(related):
    """Return {name: [paths below it]} for select_related-style paths."""
    tree = {}
    for path in related:
        name, _, rest = path.partition("__")
        below = tree.setdefault(name, [])
        if rest:
            below.append(rest)
    return tree


def _plain(value):
    # A file field's value becomes a FieldFile once read; the column holds its name.
    return value.name if isinstance(value, FieldFile) else value


def row_data(instance, *, related=(), extra=()):
    """Return (names, values, {related name: row_data or None}, {extra attribute: value})."""
    loaded = instance.__dict__
    names = tuple(f.attname for f in instance._meta.concrete_fields if f.attname in loaded)
    values = tuple(_plain(loaded[name]) for name in names)
    linked = {}
    for name, below in _nested(related).items():
        field = instance._meta.get_field(name)
        if not field.is_cached(instance):
            continue  # Not joined: left to load lazily, as the query left it.
        other = field.get_cached_value(instance)
        linked[name] = None if other is None else row_data(other, related=below)
    extras = {name: loaded[name] for name in extra if name in loaded}
    return (names, values, linked, extras)


def from_row_data(model, data):
    """Return an instance of `model` rebuilt from row_data(), with its related rows attached."""
    names, values, linked, extras = data
    # By name, in the model's order: a field the model no longer has is dropped,
    # one it has gained is deferred (loaded if read), so a model changed since
    # the entry was stored never breaks a read.
    stored = dict(zip(names, values, strict=True))
    known = [f.attname for f in model._meta.concrete_fields if f.attname in stored]
    instance = model.from_db(router.db_for_read(model), known, [stored[n] for n in known])
    for name, row in linked.items():
        field = model._meta.get_field(name)  # Relations the view asked for by name.
        other = None if row is None else from_row_data(field.related_model, row)
        field.set_cached_value(instance, other)
    instance.__dict__.update(extras)
    return instance
