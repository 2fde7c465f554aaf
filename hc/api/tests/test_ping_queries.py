"""Database round trips of the ping hot path, pinned with assertNumQueries.

What is counted: every statement Django sends on the default connection while
the request is processed, including transaction control. Django 5.2 records
BEGIN and COMMIT of an outermost atomic block as queries (on SQLite the BEGIN
reads "BEGIN IMMEDIATE", per the settings' transaction mode); inside an outer
atomic block they become SAVEPOINT and RELEASE SAVEPOINT instead.

Why TransactionTestCase: under TestCase every request runs inside the test's
transaction, so the ping's transaction.atomic() opens a savepoint. The count
would happen to be the same, but the statements would not be the ones
production sends, and work scheduled with transaction.on_commit would never
run. With TransactionTestCase the ping's atomic block is the
real transaction: BEGIN, the locking SELECT, the writes, COMMIT.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test import TransactionTestCase

from hc.accounts.models import Profile, Project
from hc.api.models import Check, CheckStatus, Flip, Ping
from hc.test import PING_KEY


class PingQueriesTestCase(TransactionTestCase):
    def setUp(self) -> None:
        alice = User.objects.create_user("alice", "alice@example.org", "password")
        Profile.objects.create(user=alice)
        project = Project.objects.create(owner=alice, badge_key="alice", ping_key=PING_KEY)
        self.check = Check.objects.create(project=project, name="Backup", slug="backup")

    def make_up(self) -> None:
        self.assertEqual(self.client.get(f"/ping/{self.check.code}").status_code, 200)
        self.check.refresh_from_db()
        self.assertEqual(self.check.status, CheckStatus.UP)

    def assert_statements(self, queries: list[dict[str, Any]], expected: list[str]) -> None:
        """The statements, by their first word, and the row lock on the lookup."""
        self.assertEqual([q["sql"].split()[0].upper() for q in queries], expected)
        lookup = queries[1]["sql"]
        if connection.features.has_select_for_update:
            self.assertIn("FOR UPDATE", lookup)

    def test_a_success_ping_to_an_up_check(self) -> None:
        self.make_up()
        # BEGIN, SELECT ... FOR UPDATE of the check, UPDATE check, INSERT ping, COMMIT.
        with self.assertNumQueries(5) as ctx:
            r = self.client.get(f"/ping/{self.check.code}")
        self.assertEqual(r.status_code, 200)
        self.assert_statements(
            ctx.captured_queries, ["BEGIN", "SELECT", "UPDATE", "INSERT", "COMMIT"]
        )
        self.assertEqual(Ping.objects.filter(owner=self.check).count(), 2)

    def test_a_ping_that_flips_the_status(self) -> None:
        self.make_up()
        # One more INSERT: the flip up -> down.
        with self.assertNumQueries(6) as ctx:
            r = self.client.get(f"/ping/{self.check.code}/fail")
        self.assertEqual(r.status_code, 200)
        self.assert_statements(
            ctx.captured_queries, ["BEGIN", "SELECT", "UPDATE", "INSERT", "INSERT", "COMMIT"]
        )
        self.assertEqual(Flip.objects.filter(owner=self.check).count(), 2)

    def test_the_first_ping_of_a_new_check(self) -> None:
        with self.assertNumQueries(6):
            r = self.client.get(f"/ping/{self.check.code}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(Flip.objects.filter(owner=self.check).count(), 1)

    def test_a_slug_ping(self) -> None:
        self.make_up()
        # The project is found by a subquery inside the same locking SELECT.
        with self.assertNumQueries(5) as ctx:
            r = self.client.get(f"/ping/{PING_KEY}/backup")
        self.assertEqual(r.status_code, 200)
        self.assert_statements(
            ctx.captured_queries, ["BEGIN", "SELECT", "UPDATE", "INSERT", "COMMIT"]
        )
        self.assertIn("accounts_project", ctx.captured_queries[1]["sql"])

    def test_a_log_ping(self) -> None:
        self.make_up()
        with self.assertNumQueries(5):
            r = self.client.post(f"/ping/{self.check.code}/log", "x", content_type="text/plain")
        self.assertEqual(r.status_code, 200)

    def test_the_100th_ping_also_prunes(self) -> None:
        Check.objects.filter(id=self.check.id).update(status=CheckStatus.UP, n_pings=99)
        # After the ping's COMMIT, pruning runs as one more transaction: it
        # reads the owner's limit and the oldest kept ping, and deletes.
        ping = ["BEGIN", "SELECT", "UPDATE", "INSERT", "COMMIT"]
        prune = [
            "BEGIN",
            "SELECT",  # the owner's ping_log_limit
            "DELETE",  # old pings
            "SELECT",  # the oldest kept ping
            # Notifications and flips have dependent rows (delivery attempts,
            # notifications), so Django selects what to delete first; with
            # nothing old enough there is nothing to DELETE.
            "SELECT",  # older notifications
            "SELECT",  # older flips
            "COMMIT",
        ]
        with self.assertNumQueries(12) as ctx:
            r = self.client.get(f"/ping/{self.check.code}")
        self.assertEqual(r.status_code, 200)
        first_words = [q["sql"].split()[0].upper() for q in ctx.captured_queries]
        self.assertEqual(first_words, [*ping, *prune])

    def test_an_unknown_uuid(self) -> None:
        with self.assertNumQueries(3) as ctx:
            r = self.client.get(f"/ping/{uuid.uuid4()}")
        self.assertEqual(r.status_code, 404)
        self.assert_statements(ctx.captured_queries, ["BEGIN", "SELECT", "COMMIT"])

    def test_an_unknown_slug(self) -> None:
        with self.assertNumQueries(3):
            r = self.client.get(f"/ping/{PING_KEY}/nope")
        self.assertEqual(r.status_code, 404)

    def test_a_bad_rid_writes_nothing(self) -> None:
        self.make_up()
        with self.assertNumQueries(3):
            r = self.client.get(f"/ping/{self.check.code}?rid=42")
        self.assertEqual(r.status_code, 400)

    def test_a_route_miss_touches_no_table(self) -> None:
        with self.assertNumQueries(0):
            r = self.client.get(f"/ping/{str(self.check.code).upper()}")
        self.assertEqual(r.status_code, 404)
