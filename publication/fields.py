"""A search entry's words as ids into the dictionary (``SearchWord``), on any database.

On PostgreSQL an ``integer[]``, which a GIN index answers "holds any of these ids" (``&&``) for;
elsewhere (SQLite) the ids as a JSON list, the same answers through ``json_each``, without an
index. Here, not in ``publication.search``: the models use it, and search reads the models.
"""

import json

from django.db import models
from django.db.models import Lookup


class WordIds(models.Field):
    """A list of ints: the ids of an entry's distinct folded words (or its title's)."""

    description = "ids of search words"

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_prep_value(self, value):
        return None if value is None else [int(id_) for id_ in value]

    def get_db_prep_value(self, value, connection, prepared=False):
        value = value if prepared else self.get_prep_value(value)
        if value is None or connection.vendor == "postgresql":
            return value  # psycopg writes a list as an array
        return json.dumps(value, separators=(",", ":"))

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))


class _IdsLookup(Lookup):
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [self.lhs.output_field.get_db_prep_value(value, connection)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            sql = self.postgresql.format(lhs=lhs, rhs=rhs)
        else:  # the same answer, row by row
            sql = (
                f"EXISTS (SELECT 1 FROM json_each({lhs}) AS word "
                f"WHERE word.value IN (SELECT value FROM json_each({rhs})))"
            )
        return sql, [*lhs_params, *rhs_params]


@WordIds.register_lookup
class Overlap(_IdsLookup):
    """Holds any of the ids, as a GIN index on the array answers it: work grows with the ids."""

    lookup_name = "overlap"
    postgresql = "{lhs} && {rhs}::integer[]"


@WordIds.register_lookup
class HoldsAny(_IdsLookup):
    """Holds any of the ids, checked row by row against a hash of them (built once for the
    statement): for rows read anyway, or more ids than an index scan should look up. Not
    ``&&``, which compares every id of the row with every id asked."""

    lookup_name = "holds_any"
    postgresql = (
        "EXISTS (SELECT 1 FROM unnest({lhs}) AS word(id) WHERE word.id = ANY({rhs}::integer[]))"
    )
