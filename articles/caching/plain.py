"""Model instances to plain data and back, for the shared cache.

The shared cache holds only plain values (strings, numbers, dates, tuples,
lists and dicts of them), never pickled model instances: an instance pickled by
one release may not unpickle in the next (a field added or renamed), and every
reader would fail until the entry expired. A row is kept as its field names
and values and rebuilt with `Model.from_db`, as if just loaded from the
database; fields it does not carry stay deferred.
"""

from django.db import router


def row_data(instance, *, related=(), extra=()):
    """Return (names, values, {related name: row_data}, {extra attribute: value})."""
    loaded = instance.__dict__
    names = tuple(f.attname for f in instance._meta.concrete_fields if f.attname in loaded)
    values = tuple(loaded[name] for name in names)
    linked = {}
    for name in related:
        other = getattr(instance, name)
        linked[name] = None if other is None else row_data(other)
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
