"""The Project admin: list, search and the read-only fields (web spec §13)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hc.accounts.models import Member, Project, Role
from hc.accounts.tests.admin_helpers import AdminTestCase
from hc.api.models import Channel, ChannelKind, Check

URL = "/admin/accounts/project/"


class ProjectAdminTestCase(AdminTestCase):
    def test_it_lists_projects_with_users_and_usage(self) -> None:
        Check.objects.bulk_create(Check(project=self.project) for _ in range(3))
        Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL, config={})
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "<strong>alice@example.org</strong>, bob@example.org, mike@example.org, rose@example.org",
        )
        self.assertContains(response, "<strong>3 checks, 1 channel</strong>", html=True)
        self.assertContains(response, "Default Project for charlie@example.org")
        self.assertContains(
            response, f'<a href="/projects/{self.project.code}/checks/">Show Checks</a>', html=True
        )

    def test_it_renders_the_change_page_with_code_and_owner_read_only(self) -> None:
        response = self.client.get(f"{URL}{self.project.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(self.project.code))
        self.assertContains(response, 'name="name"')
        self.assertNotContains(response, 'name="code"')
        self.assertNotContains(response, 'name="owner"')

    def test_it_renames_a_project(self) -> None:
        url = f"{URL}{self.project.id}/change/"
        form = self.client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(name="Renamed", code="00000000-0000-0000-0000-000000000000")
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.project.refresh_from_db()
        self.assertEqual(self.project.name, "Renamed")
        self.assertNotEqual(str(self.project.code), "00000000-0000-0000-0000-000000000000")

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(URL)

    def test_it_has_no_add_page(self) -> None:
        self.assertEqual(self.client.get(f"{URL}add/").status_code, 403)

    def test_it_searches_by_name_owner_and_code(self) -> None:
        for term in ("Alice's", "alice@example.org", str(self.project.code)):
            with self.subTest(term=term):
                response = self.client.get(URL, {"q": term})
                ids = [p.id for p in response.context["cl"].result_list]
                self.assertEqual(ids, [self.project.id])

    def test_it_searches_by_id(self) -> None:
        # Digits may also occur in codes: the id is one of the matches.
        response = self.client.get(URL, {"q": str(self.charlies_project.id)})
        self.assertIn(self.charlies_project, response.context["cl"].result_list)

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        def add_project(i: int) -> None:
            project = Project.objects.create(
                owner=self.charlie, name=f"load {i}", badge_key=f"l{i}"
            )
            Member.objects.create(user=self.bob, project=project, role=Role.READONLY)
            Check.objects.create(project=project)

        add_project(0)
        with CaptureQueriesContext(connection) as one_row:
            response = self.client.get(URL, {"q": "load"})
        self.assertEqual(len(response.context["cl"].result_list), 1)
        for i in range(1, 10):
            add_project(i)
        with self.assertNumQueries(len(one_row)):
            response = self.client.get(URL, {"q": "load"})
        self.assertEqual(len(response.context["cl"].result_list), 10)


class AdminLayoutTestCase(AdminTestCase):
    def test_it_greets_operators_by_email_and_links_to_their_settings(self) -> None:
        response = self.client.get("/admin/")
        self.assertContains(response, "Welcome, <strong>operator@example.org</strong>.")
        self.assertNotContains(response, "Welcome, <strong>operator</strong>")
        self.assertContains(response, 'href="/accounts/profile/"')
        self.assertContains(response, 'action="/accounts/logout/"')
