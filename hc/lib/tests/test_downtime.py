from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from unittest import TestCase
from zoneinfo import ZoneInfo

from hc.lib.downtime import (
    day_boundaries,
    downtime_records,
    format_duration,
    format_uptime,
    month_boundaries,
    month_length,
    uptime,
    week_boundaries,
    zone,
)

RIGA = ZoneInfo("Europe/Riga")
NEW_YORK = ZoneInfo("America/New_York")


@dataclass
class FakeFlip:
    created: datetime
    old_status: str


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


class BoundariesTestCase(TestCase):
    def test_month_boundaries_are_local_midnights_on_the_1st(self) -> None:
        result = month_boundaries(utc(2020, 1, 15), RIGA, 3)
        self.assertEqual(
            result,
            [
                datetime(2020, 1, 1, tzinfo=RIGA),
                datetime(2019, 12, 1, tzinfo=RIGA),
                datetime(2019, 11, 1, tzinfo=RIGA),
            ],
        )
        self.assertEqual(result[0].astimezone(UTC), utc(2019, 12, 31, 22))

    def test_month_boundaries_use_the_local_date(self) -> None:
        # 22:30 UTC on Jan 31 is already February 1st in Riga.
        result = month_boundaries(utc(2020, 1, 31, 22, 30), RIGA, 1)
        self.assertEqual(result, [datetime(2020, 2, 1, tzinfo=RIGA)])

    def test_week_boundaries_start_on_monday_in_the_zone(self) -> None:
        # Sunday 21:00 in New York, already Monday in UTC (spec item 54).
        result = week_boundaries(utc(2020, 1, 13, 2), NEW_YORK, 3)
        self.assertEqual(
            result,
            [
                datetime(2020, 1, 6, tzinfo=NEW_YORK),
                datetime(2019, 12, 30, tzinfo=NEW_YORK),
                datetime(2019, 12, 23, tzinfo=NEW_YORK),
            ],
        )

    def test_day_boundaries_are_local_midnights(self) -> None:
        result = day_boundaries(utc(2020, 3, 30, 12), RIGA, 2)
        self.assertEqual(
            result, [datetime(2020, 3, 30, tzinfo=RIGA), datetime(2020, 3, 29, tzinfo=RIGA)]
        )
        # Clocks went forward on March 29: that day lasted 23 hours.
        self.assertEqual(result[0].astimezone(UTC), utc(2020, 3, 29, 21))
        self.assertEqual(result[1].astimezone(UTC), utc(2020, 3, 28, 22))

    def test_unknown_zone_falls_back_to_utc(self) -> None:
        self.assertEqual(zone("Mars/Olympus"), UTC)
        self.assertEqual(zone("../etc"), UTC)
        self.assertEqual(zone("Europe/Riga"), RIGA)


class DowntimeRecordsTestCase(TestCase):
    def test_downtime_spanning_months_counts_once_per_month(self) -> None:
        # Spec item 55.
        now = utc(2020, 1, 15)
        records = downtime_records(
            month_boundaries(now, UTC, 3),
            created=utc(2019, 1, 1),
            status="down",
            flips=[FakeFlip(utc(2019, 11, 15), "up")],
            now=now,
        )
        jan, dec, nov = records
        self.assertEqual((nov.duration, nov.count), (timedelta(days=16), 1))
        self.assertEqual((dec.duration, dec.count), (timedelta(days=31), 1))
        self.assertEqual((jan.duration, jan.count), (timedelta(days=14), 1))
        self.assertAlmostEqual(uptime(nov), 14 / 30)
        self.assertEqual(uptime(dec), 0)
        self.assertAlmostEqual(uptime(jan), 17 / 31)
        self.assertEqual(format_uptime(dec), "0.00%")
        self.assertEqual(format_uptime(nov), "46.66%")
        self.assertFalse(any(r.no_data for r in records))

    def test_downtime_is_split_in_the_viewers_zone(self) -> None:
        # Spec item 56: 23:00 UTC on Dec 31 is already January in Riga.
        now = utc(2020, 1, 15)
        jan, dec, _ = downtime_records(
            month_boundaries(now, RIGA, 3),
            created=utc(2019, 1, 1),
            status="down",
            flips=[FakeFlip(utc(2019, 12, 31, 23), "up")],
            now=now,
        )
        self.assertEqual((dec.duration, dec.count), (timedelta(), 0))
        self.assertEqual((jan.duration, jan.count), (timedelta(days=14, hours=1), 1))
        self.assertEqual(format_duration(jan.duration), "14 days 1 hour")

    def test_the_same_flip_falls_in_december_in_utc(self) -> None:
        now = utc(2020, 1, 15)
        jan, dec, _ = downtime_records(
            month_boundaries(now, UTC, 3),
            created=utc(2019, 1, 1),
            status="down",
            flips=[FakeFlip(utc(2019, 12, 31, 23), "up")],
            now=now,
        )
        self.assertEqual((dec.duration, dec.count), (timedelta(hours=1), 1))
        self.assertEqual((jan.duration, jan.count), (timedelta(days=14), 1))

    def test_dst_months_have_743_and_745_hours(self) -> None:
        # Spec item 57.
        march = datetime(2020, 3, 1, tzinfo=RIGA)
        october = datetime(2020, 10, 1, tzinfo=RIGA)
        self.assertEqual(month_length(march), timedelta(hours=743))
        self.assertEqual(month_length(october), timedelta(hours=745))
        self.assertEqual(month_length(datetime(2020, 2, 1, tzinfo=RIGA)), timedelta(days=29))

    def test_uptime_of_a_dst_month_uses_its_real_length(self) -> None:
        now = utc(2020, 4, 15)
        flips = [
            FakeFlip(datetime(2020, 3, 10, 12, tzinfo=RIGA), "up"),
            FakeFlip(datetime(2020, 3, 10, 13, tzinfo=RIGA), "down"),
        ]
        _, march, _ = downtime_records(
            month_boundaries(now, RIGA, 3),
            created=utc(2019, 1, 1),
            status="up",
            flips=flips,
            now=now,
        )
        self.assertEqual((march.duration, march.count), (timedelta(hours=1), 1))
        self.assertEqual(uptime(march), 742 / 743)
        self.assertEqual(format_uptime(march), "99.86%")

    def test_october_uptime_uses_745_hours(self) -> None:
        now = utc(2020, 11, 15)
        flips = [
            FakeFlip(datetime(2020, 10, 10, 12, tzinfo=RIGA), "up"),
            FakeFlip(datetime(2020, 10, 10, 13, tzinfo=RIGA), "down"),
        ]
        _, october, _ = downtime_records(
            month_boundaries(now, RIGA, 3),
            created=utc(2019, 1, 1),
            status="up",
            flips=flips,
            now=now,
        )
        self.assertEqual(uptime(october), 744 / 745)

    def test_check_younger_than_the_period_has_no_data(self) -> None:
        # Spec item 58.
        now = utc(2020, 1, 15)
        jan, dec, nov = downtime_records(
            month_boundaries(now, UTC, 3),
            created=utc(2020, 1, 1, 9),
            status="up",
            flips=[],
            now=now,
        )
        self.assertTrue(nov.no_data)
        self.assertTrue(dec.no_data)
        self.assertFalse(jan.no_data)

    def test_check_created_during_a_period_has_data_for_it(self) -> None:
        now = utc(2020, 1, 15)
        _, dec, nov = downtime_records(
            month_boundaries(now, UTC, 3),
            created=utc(2019, 12, 20),
            status="up",
            flips=[],
            now=now,
        )
        self.assertFalse(dec.no_data)
        self.assertTrue(nov.no_data)

    def test_current_period_has_data_even_for_a_brand_new_check(self) -> None:
        now = utc(2020, 1, 15)
        records = downtime_records(
            month_boundaries(now, UTC, 1), created=now, status="new", flips=[], now=now
        )
        self.assertFalse(records[0].no_data)

    def test_paused_and_new_are_not_downtime(self) -> None:
        now = utc(2020, 1, 15)
        flips = [
            FakeFlip(utc(2020, 1, 2), "new"),  # new -> down
            FakeFlip(utc(2020, 1, 3), "down"),  # down -> paused
            FakeFlip(utc(2020, 1, 5), "paused"),  # paused -> down
            FakeFlip(utc(2020, 1, 6), "down"),  # down -> up
        ]
        jan, dec, _ = downtime_records(
            month_boundaries(now, UTC, 3),
            created=utc(2019, 1, 1),
            status="up",
            flips=flips,
            now=now,
        )
        self.assertEqual((jan.duration, jan.count), (timedelta(days=2), 2))
        self.assertEqual((dec.duration, dec.count), (timedelta(), 0))

    def test_weekly_records_in_new_york(self) -> None:
        now = utc(2020, 1, 13, 2)
        flips = [
            # Down from Sunday 22:00 to Monday 02:00 local, across the boundary.
            FakeFlip(datetime(2019, 12, 29, 22, tzinfo=NEW_YORK), "up"),
            FakeFlip(datetime(2019, 12, 30, 2, tzinfo=NEW_YORK), "down"),
        ]
        current, last, before = downtime_records(
            week_boundaries(now, NEW_YORK, 3),
            created=utc(2019, 1, 1),
            status="up",
            flips=flips,
            now=now,
        )
        self.assertEqual((before.duration, before.count), (timedelta(hours=2), 1))
        self.assertEqual((last.duration, last.count), (timedelta(hours=2), 1))
        self.assertEqual(current.count, 0)

    def test_flips_before_the_oldest_boundary_and_in_the_future_are_ignored(self) -> None:
        now = utc(2020, 1, 15)
        flips = [FakeFlip(utc(2019, 5, 1), "down"), FakeFlip(utc(2020, 2, 1), "up")]
        records = downtime_records(
            month_boundaries(now, UTC, 3),
            created=utc(2019, 1, 1),
            status="up",
            flips=flips,
            now=now,
        )
        self.assertEqual([r.count for r in records], [0, 0, 0])

    def test_flip_exactly_on_a_boundary_is_not_a_zero_length_event(self) -> None:
        now = utc(2020, 1, 15)
        jan, dec, _ = downtime_records(
            month_boundaries(now, UTC, 3),
            created=utc(2019, 1, 1),
            status="up",
            flips=[FakeFlip(utc(2020, 1, 1), "down")],
            now=now,
        )
        self.assertEqual((jan.duration, jan.count), (timedelta(), 0))
        self.assertEqual((dec.duration, dec.count), (timedelta(days=31), 1))

    def test_no_boundaries_gives_no_records(self) -> None:
        now = utc(2020, 1, 15)
        self.assertEqual(downtime_records([], created=now, status="down", flips=[], now=now), [])


class FormatTestCase(TestCase):
    def test_format_duration(self) -> None:
        self.assertEqual(format_duration(timedelta(seconds=1)), "1 second")
        self.assertEqual(format_duration(timedelta(seconds=59)), "59 seconds")
        self.assertEqual(format_duration(timedelta(minutes=1)), "1 minute")
        self.assertEqual(format_duration(timedelta(hours=2, minutes=5)), "2 hours 5 minutes")
        self.assertEqual(format_duration(timedelta(days=1, minutes=5)), "1 day")
        self.assertEqual(format_duration(timedelta(days=16)), "16 days")

    def test_format_uptime_truncates(self) -> None:
        now = utc(2020, 1, 15)
        # 1 second of downtime in January is 99.9996%: shown as 99.99, not 100.00.
        jan = downtime_records(
            month_boundaries(now, UTC, 1),
            created=utc(2019, 1, 1),
            status="up",
            flips=[FakeFlip(utc(2020, 1, 2), "up"), FakeFlip(utc(2020, 1, 2, 0, 0, 1), "down")],
            now=now,
        )[0]
        self.assertEqual(format_uptime(jan), "99.99%")
