"""The offered zone list and legacy alias resolution (spec §3.1 `tz`)."""

from __future__ import annotations

from unittest import TestCase
from zoneinfo import ZoneInfo

from hc.lib import gen_tzdata_links, tzdata_links
from hc.lib.timezones import all_zones, canonical_zone


class AllZonesTestCase(TestCase):
    def test_it_is_sorted_and_unique(self) -> None:
        zones = all_zones()
        self.assertEqual(list(zones), sorted(set(zones)))

    def test_it_includes_utc_and_current_names(self) -> None:
        zones = all_zones()
        for name in ("UTC", "Europe/Kyiv", "America/New_York", "Australia/Lord_Howe", "Etc/GMT+5"):
            with self.subTest(name=name):
                self.assertIn(name, zones)

    def test_it_excludes_legacy_aliases(self) -> None:
        zones = all_zones()
        for name in ("Europe/Kiev", "US/Eastern", "Etc/Universal", "UCT", "Zulu", "CET"):
            with self.subTest(name=name):
                self.assertNotIn(name, zones)

    def test_it_excludes_system_files_and_other_trees(self) -> None:
        zones = all_zones()
        self.assertFalse([z for z in zones if z.startswith(("posix/", "right/"))])
        for name in ("posixrules", "localtime", "Factory", "zone.tab"):
            with self.subTest(name=name):
                self.assertNotIn(name, zones)

    def test_every_offered_zone_loads(self) -> None:
        for name in all_zones():
            with self.subTest(name=name):
                self.assertEqual(ZoneInfo(name).key, name)


class CanonicalZoneTestCase(TestCase):
    def test_it_keeps_canonical_names(self) -> None:
        for name in ("UTC", "Europe/Kyiv", "America/New_York"):
            with self.subTest(name=name):
                self.assertEqual(canonical_zone(name), name)

    def test_it_rewrites_kiev_to_kyiv(self) -> None:
        self.assertEqual(canonical_zone("Europe/Kiev"), "Europe/Kyiv")

    def test_it_rewrites_us_eastern_to_new_york(self) -> None:
        self.assertEqual(canonical_zone("US/Eastern"), "America/New_York")

    def test_it_rewrites_utc_aliases_to_etc_utc(self) -> None:
        # management-api §6.3.1: UCT -> Etc/UTC.
        for name in ("Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"):
            with self.subTest(name=name):
                self.assertEqual(canonical_zone(name), "Etc/UTC")

    def test_it_keeps_utc_gmt_and_their_etc_zones(self) -> None:
        for name in ("UTC", "Etc/UTC", "GMT", "Etc/GMT"):
            with self.subTest(name=name):
                self.assertEqual(canonical_zone(name), name)

    def test_it_follows_iana_links_rather_than_debian_backzone(self) -> None:
        # IANA makes CET a link since 2024b; Debian's backzone build does not.
        self.assertEqual(canonical_zone("CET"), "Europe/Brussels")

    def test_it_returns_none_for_an_unknown_zone(self) -> None:
        for name in ("Mars/Olympus_Mons", "", "europe/riga", "Factory", "localtime"):
            with self.subTest(name=name):
                self.assertIsNone(canonical_zone(name))

    def test_it_returns_none_for_posix_and_right_names(self) -> None:
        for name in ("posix/Europe/Riga", "right/UTC", "posixrules"):
            with self.subTest(name=name):
                self.assertIsNone(canonical_zone(name))

    def test_every_alias_resolves_to_an_offered_zone(self) -> None:
        zones = set(all_zones())
        for alias, target in tzdata_links.ALIASES.items():
            with self.subTest(alias=alias):
                self.assertNotIn(alias, zones)
                self.assertIn(target, zones)
                self.assertEqual(canonical_zone(alias), target)


class GeneratorTestCase(TestCase):
    SAMPLE = "\n".join(
        [
            "# version 2099z",
            "R d 1916 o - Jun 14 23s 1 S",
            "Z Etc/UTC 0 - UTC",
            "Z Europe/Kyiv 2:2:4 - LMT 1880",
            "2 E EE%sT",
            "Z Factory 0 - -00",
            "Z Nowhere/Atlantis 0 - NAT",
            "L Etc/UTC UTC",
            "L Etc/UTC Etc/Universal",
            "L Europe/Kyiv Europe/Kiev",
            "L Europe/Kiev Europe/Chained",
            "L Nowhere/Atlantis Nowhere/Lemuria",
        ]
    )

    def test_it_reads_zone_and_link_lines(self) -> None:
        version, zones, links = gen_tzdata_links.parse_tzdata(self.SAMPLE)
        self.assertEqual(version, "2099z")
        self.assertEqual(zones, {"Etc/UTC", "Europe/Kyiv", "Factory", "Nowhere/Atlantis"})
        self.assertEqual(links["UTC"], "Etc/UTC")
        self.assertEqual(links["Europe/Chained"], "Europe/Kiev")

    def test_it_keeps_utc_canonical_and_drops_unloadable_zones(self) -> None:
        _, zones, links = gen_tzdata_links.parse_tzdata(self.SAMPLE)
        canonical, aliases = gen_tzdata_links.canonical_data(zones, links)
        self.assertEqual(canonical, {"UTC", "Etc/UTC", "Europe/Kyiv"})
        self.assertEqual(
            aliases,
            {
                "Etc/Universal": "Etc/UTC",
                "Europe/Kiev": "Europe/Kyiv",
                "Europe/Chained": "Europe/Kyiv",
            },
        )
