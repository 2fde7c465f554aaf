"""Routes of the docs area, gathered by hc/front/urls/__init__.py."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from hc.front.views import docs, tv

urlpatterns: list[URLPattern] = [
    path("docs/", docs.docs_index, name="hc-docs"),
    # Before the page route: "search" and "cron" are valid page slugs too.
    path("docs/search/", docs.docs_search, name="hc-docs-search"),
    path("docs/cron/", docs.docs_cron, name="hc-docs-cron"),
    re_path(r"^docs/(?P<doc>[0-9a-z_]+)/$", docs.serve_doc, name="hc-serve-doc"),
    path("tv/", tv.tv, name="hc-tv"),
    path("contact.vcf", tv.contact_vcf, name="hc-contact-vcf"),
]
