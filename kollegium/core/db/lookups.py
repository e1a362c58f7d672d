"""`__in` on an integer column ignores numbers the column cannot hold.

Django already reads an out-of-range number in `exact`, `gt`, `gte`, `lt` and `lte` on an
integer column as "matches nothing" (its IntegerFieldOverflow lookups), but not in `in`. A
form's ModelMultipleChoiceField (subjects, stages, participants, collection items) checks the
posted ids with `pk__in=[...]`, so a posted 20-digit number reached SQLite, which cannot bind
it (OverflowError: a 500). No row can hold such a number, so dropping it changes no result:
`filter(pk__in=[huge])` matches nothing, `exclude(pk__in=[huge])` excludes nothing. Registered
for every integer field (ids included) by CoreConfig.ready().
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            try:
                minimum, maximum = connection.ops.integer_field_range(
                    self.lhs.output_field.get_internal_type()
                )
            except KeyError:  # an integer type the backend gives no range for
                minimum = maximum = None
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((minimum is None or value >= minimum) and (maximum is None or value <= maximum))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
