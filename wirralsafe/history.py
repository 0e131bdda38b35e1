"""History rows for bulk writes, copied by the database itself.

django-simple-history records a row's history on save(). A bulk write (an uploaded return of
thousands of figures) sends no save signal; the library's bulk helpers build a Python object
per history row, which took longer than the whole rest of an upload. Here the database copies
each written row into its history table in one INSERT ... SELECT per thousand rows, so the
history holds exactly what was stored.
"""

from __future__ import annotations

from django.db import connections, router
from django.utils import timezone

# The history table's own columns; every other column is a copy of the tracked row's.
HISTORY_OWN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}
OWN_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")
CREATED, CHANGED = "+", "~"
CHUNK = 1000


def copy_to_history(model, pks: list[int], *, user, history_type: str) -> None:
    """One history row for each row of `model` in `pks`, as it is stored now, by `user`."""
    historical = model.history.model
    using = router.db_for_write(historical)
    connection = connections[using]
    quote = connection.ops.quote_name
    tracked = [f.column for f in historical._meta.concrete_fields if f.name not in HISTORY_OWN]
    stored = {f.column for f in model._meta.concrete_fields}
    if not set(tracked) <= stored:
        # A history field the model no longer has would be copied from nowhere: say so loudly.
        raise RuntimeError(f"{historical.__name__} tracks {set(tracked) - stored}, not in the row.")
    columns = ", ".join(quote(c) for c in tracked)
    own = ", ".join(quote(c) for c in OWN_COLUMNS)
    history_table, table = quote(historical._meta.db_table), quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    # Only table and column names from the models' own metadata, quoted, are formatted into
    # the statement; every value is a parameter.
    insert = " ".join(
        [
            f"INSERT INTO {history_table} ({columns}, {own})",
            f"SELECT {columns}, %s, NULL, %s, %s FROM {table} WHERE {pk} IN",  # noqa: S608
        ]
    )
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    who = user.pk if user is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{insert} ({marks})", [when, history_type, who, *chunk])
