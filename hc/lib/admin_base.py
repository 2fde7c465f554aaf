"""Pieces shared by the apps' admin modules (web spec §13)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin, TabularInline
    from django.contrib.auth.admin import UserAdmin
else:
    # The admin classes are generic only in django-stubs; these subclasses
    # accept the same subscripts at run time, so `ModelAdmin[Check]` works.
    class _Subscriptable:
        def __class_getitem__(cls, _item: Any) -> type:
            return cls

    class ModelAdmin(_Subscriptable, admin.ModelAdmin):
        pass

    class TabularInline(_Subscriptable, admin.TabularInline):
        pass

    class UserAdmin(_Subscriptable, auth_admin.UserAdmin):
        pass


__all__ = ["ModelAdmin", "TabularInline", "UserAdmin", "subquery_count", "url_or_none"]


def subquery_count(rows: QuerySet[Any]) -> Subquery:
    """COUNT of `rows` as a correlated subquery: filter `rows` with OuterRef.

    A JOIN with GROUP BY multiplies rows when a list needs several counts;
    one subquery per count keeps each list page to a single query.
    """
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def url_or_none(name: str, *args: Any) -> str | None:
    """The URL of a route that another part of the site may not serve yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
