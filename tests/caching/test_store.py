"""Cache entries: plain data only; kept in this process when immutable and small."""

import pytest
from django.core.cache import caches

from articles.caching import store
from tests.factories import ArticleFactory


def shared():
    return caches["default"]


def get(key):
    return store.get_many([key]).get(key)


def put(key, value):
    store.set_many({key: value})


def test_strings_numbers_and_id_tuples_are_served_from_this_process():
    values = {"t:1:html": "<p>card</p>", "t:1:count": 42, "t:1:ids": (3, 2, 1)}
    store.set_many(values)
    assert shared().get_many(list(values)) == values
    shared().delete_many(list(values))
    assert store.get_many(list(values)) == values


def test_objects_live_only_in_the_shared_cache():
    put("t:1:tree", {"mutable": ["list"]})
    assert get("t:1:tree") == {"mutable": ["list"]}
    shared().delete("t:1:tree")
    assert get("t:1:tree") is None


def test_a_shared_hit_is_kept_locally():
    shared().set("t:2:html", "<p>from another worker</p>")
    assert get("t:2:html") == "<p>from another worker</p>"
    shared().delete("t:2:html")
    assert get("t:2:html") == "<p>from another worker</p>"


def test_the_least_recently_used_go_first_past_the_byte_budget(monkeypatch):
    monkeypatch.setattr(store, "LOCAL_BYTES", 160)
    for n in range(16):  # 16 values of 10 bytes: exactly the budget.
        put(f"t:3:{n}", f"{n:010d}")
    get("t:3:0")  # Now the most recently used.
    put("t:3:new", "x" * 10)
    shared().clear()
    kept = store.get_many([f"t:3:{n}" for n in range(16)] + ["t:3:new"])
    assert "t:3:1" not in kept
    assert {"t:3:0", "t:3:2", "t:3:15", "t:3:new"} <= set(kept)
    assert len(kept) == 16


def test_values_too_large_for_the_budget_stay_shared(monkeypatch):
    monkeypatch.setattr(store, "LOCAL_BYTES", 160)
    put("t:4:huge", "x" * 11)  # Over a sixteenth of the budget.
    shared().delete("t:4:huge")
    assert get("t:4:huge") is None


def test_a_settings_change_forgets_the_local_part(settings):
    put("t:5:html", "<p>old</p>")
    shared().delete("t:5:html")
    settings.SITE_NAME = "Renamed"
    assert get("t:5:html") is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", [{1, 2}, ["list", object()], {"row": None}])
def test_only_plain_data_is_stored(value):
    value = {"row": ArticleFactory()} if value == {"row": None} else value
    with pytest.raises(TypeError, match="plain data"):
        put("t:6:value", value)
    assert shared().get("t:6:value") is None
