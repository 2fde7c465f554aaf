"""A paginator for admin lists of huge tables, such as pings (web spec §13).

On PostgreSQL and MySQL, COUNT(*) over tens of millions of rows takes
seconds, and the Django admin counts on every page view. Operators only
browse the newest rows, so this paginator never counts: it claims a fixed
number of rows and pages. Pages past the real end of the data are empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    # Generic only in django-stubs.
    _Paginator = Paginator

PRETENDED_ROWS = 1000
PRETENDED_PAGES = 9


class FixedCountPaginator(_Paginator):
    @cached_property
    def count(self) -> int:
        return PRETENDED_ROWS

    @cached_property
    def num_pages(self) -> int:
        return PRETENDED_PAGES
