"""Documentation pages, docs search and the cron cheatsheet (web spec §11.2-11.4).

All public: no login, no project.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from hc.front import docs as pages

# The cheatsheet's "Common Cron Expressions" table.
CRON_EXAMPLES = (
    ("* * * * *", "Every minute"),
    ("*/5 * * * *", "Every 5 minutes"),
    ("*/15 * * * *", "Every 15 minutes"),
    ("0 * * * *", "Every hour, on the hour"),
    ("30 */6 * * *", "Every 6 hours, at half past (00:30, 06:30, 12:30, 18:30)"),
    ("0 0 * * *", "Every day at midnight"),
    ("0 2 * * *", "Every day at 02:00"),
    ("0 9 * * 1-5", "Monday to Friday at 09:00"),
    ("0 8-17 * * 1-5", "Every hour from 08:00 to 17:00, Monday to Friday"),
    ("0 0 * * 0", "Every Sunday at midnight"),
    ("0 6 * * 6,0", "Saturdays and Sundays at 06:00"),
    ("0 0 1 * *", "On the first day of every month, at midnight"),
    ("0 23 L * *", "On the last day of every month, at 23:00"),
    ("0 12 * * MON#1", "On the first Monday of every month, at noon"),
    ("0 0 1 1 *", "Once a year, at midnight on January 1"),
)


def _render_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = pages.load_page(slug)
    if page is None:
        raise Http404("No such documentation page")
    ctx = {"page": page, "nav": pages.nav(), "active": page.slug}
    return render(request, "front/docs_single.html", ctx)


@require_safe
def docs_index(request: HttpRequest) -> HttpResponse:
    return _render_page(request, "introduction")


@require_safe
def serve_doc(request: HttpRequest, doc: str) -> HttpResponse:
    if doc in pages.MOVED:
        return redirect("hc-serve-doc", doc=pages.MOVED[doc], permanent=True)
    return _render_page(request, doc)


# A GET that changes nothing; exempt so cached pages with stale tokens still search.
@csrf_exempt
@require_safe
def docs_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    results = pages.search(q)
    return render(request, "front/docs_search.html", {"results": results})


@require_safe
def docs_cron(request: HttpRequest) -> HttpResponse:
    ctx = {"nav": pages.nav(), "active": "cron", "examples": CRON_EXAMPLES}
    return render(request, "front/docs_cron.html", ctx)
