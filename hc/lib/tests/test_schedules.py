"""Schedule validation and next-run evaluation (spec §3.1, §3.3, §3.4, §3.6, §13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import TestCase
from zoneinfo import ZoneInfo

from hc.lib.schedules import (
    InvalidSchedule,
    infer_kind,
    next_run,
    next_runs,
    validate_cron,
    validate_oncalendar,
    validate_schedule,
)

NEW_YORK = "America/New_York"
RIGA = "Europe/Riga"
LORD_HOWE = "Australia/Lord_Howe"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


def is_imaginary(local: datetime) -> bool:
    """True when a wall-clock time does not exist (skipped by a DST jump)."""
    assert local.tzinfo is not None
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(fold=0) != local


class InferKindTestCase(TestCase):
    def test_it_infers_cron_for_five_fields(self) -> None:
        self.assertEqual(infer_kind("*/5 9-17 * * MON-FRI"), "cron")

    def test_it_infers_cron_despite_surrounding_whitespace(self) -> None:
        self.assertEqual(infer_kind("  0 0 * * *\n"), "cron")

    def test_it_infers_oncalendar_for_six_fields(self) -> None:
        self.assertEqual(infer_kind("*/15 * * * * *"), "oncalendar")

    def test_it_infers_oncalendar_for_five_fields_over_two_lines(self) -> None:
        self.assertEqual(infer_kind("0 0 *\n* *"), "oncalendar")

    def test_it_infers_oncalendar_for_shorthands_and_calendar_events(self) -> None:
        for schedule in ("daily", "Mon..Fri 09:00", "Sat,Sun 10:00 Europe/Riga", "@daily"):
            with self.subTest(schedule=schedule):
                self.assertEqual(infer_kind(schedule), "oncalendar")


class ValidateCronTestCase(TestCase):
    def test_it_accepts_supported_syntax(self) -> None:
        for expr in (
            "* * * * *",
            "*/5 9-17 * * MON-FRI",
            "0 0 1-31/2 jan-jun 0,7",
            "0 0 L * *",
            "0 0 LW * *",
            "0 0 * * 5L",
            "0 0 * * MON#1",
            "0 0 29 2 *",
            "0\t0  *  * *",
        ):
            with self.subTest(expr=expr):
                validate_cron(expr)

    def test_it_rejects_impossible_day_of_month(self) -> None:
        for expr in ("0 0 30 2 *", "0 0 31 4 *"):
            with self.subTest(expr=expr), self.assertRaises(InvalidSchedule) as cm:
                validate_cron(expr)
            self.assertEqual(str(cm.exception), "bad day-of-month")

    def test_it_rejects_expression_without_a_match_in_fifty_years(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_cron("* * */20 * 1L")

    def test_it_accepts_question_marks_in_the_day_fields(self) -> None:
        # management-api §6.3.1 lists `?`; it means "no specific value".
        validate_cron("0 9 ? * MON")
        validate_cron("0 9 1 * ?")
        after = datetime(2024, 5, 1, tzinfo=UTC)  # a Wednesday
        self.assertEqual(
            next_run("cron", "0 9 ? * MON", "UTC", after), datetime(2024, 5, 6, 9, tzinfo=UTC)
        )
        self.assertEqual(
            next_run("cron", "0 9 1 * ?", "UTC", after), datetime(2024, 5, 1, 9, tzinfo=UTC)
        )

    def test_it_rejects_question_marks_outside_the_day_fields(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_cron("? 9 * * *")

    def test_it_rejects_six_field_cron(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_cron("*/15 * * * * *")

    def test_it_rejects_macros(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_cron("@daily")

    def test_it_rejects_four_fields(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_cron("0 0 * *")

    def test_it_rejects_fields_spread_over_two_lines(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_cron("0 0 *\n* *")

    def test_it_rejects_out_of_range_and_malformed_fields(self) -> None:
        for expr in (
            "60 * * * *",
            "* 24 * * *",
            "* * 0 * *",
            "* * * 13 *",
            "* * * * 8",
            "*/0 * * * *",
            "5-1 * * * *",
            "a b c d e",
        ):
            with self.subTest(expr=expr), self.assertRaises(InvalidSchedule):
                validate_cron(expr)


class ValidateOnCalendarTestCase(TestCase):
    def test_it_accepts_supported_syntax(self) -> None:
        for expr in (
            "daily",
            "weekly",
            "quarterly",
            "Mon..Fri 09:00",
            "Sat,Sun 10:00 Europe/Riga",
            "*-*~01 12:00",
            "*:00/30",
            "2024-01-* 00:00:00",
            "hourly\n*-*-01 06:00 Asia/Tokyo",
        ):
            with self.subTest(expr=expr):
                validate_oncalendar(expr)

    def test_it_accepts_a_date_that_has_already_passed_since_2000(self) -> None:
        validate_oncalendar("2019-01-01")

    def test_it_rejects_a_date_before_2000(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_oncalendar("1999-12-31")

    def test_it_rejects_six_field_cron(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_oncalendar("*/15 * * * * *")

    def test_it_rejects_more_than_four_components(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_oncalendar("Mon 2024-01-01 12:00 Europe/Riga extra")

    def test_it_rejects_empty_expressions_and_empty_lines(self) -> None:
        for expr in ("", "  \n ", "daily\n\nhourly"):
            with self.subTest(expr=expr), self.assertRaises(InvalidSchedule):
                validate_oncalendar(expr)

    def test_it_rejects_a_bad_line_after_a_good_one(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_oncalendar("daily\nbogus")

    def test_it_rejects_malformed_events(self) -> None:
        for expr in ("12:00:00.5", "25:00", "*-13-01", "Funday 10:00", "10:00 Mars/Base"):
            with self.subTest(expr=expr), self.assertRaises(InvalidSchedule):
                validate_oncalendar(expr)


class ValidateScheduleTestCase(TestCase):
    def test_it_accepts_exactly_one_hundred_characters(self) -> None:
        expr = "0 0 * * *".ljust(100)
        self.assertEqual(len(expr), 100)
        validate_schedule("cron", expr)

    def test_it_rejects_more_than_one_hundred_characters(self) -> None:
        expr = "0 0 * * *".ljust(101)
        validate_cron(expr)  # valid apart from its length
        with self.assertRaises(InvalidSchedule):
            validate_schedule("cron", expr)

    def test_it_dispatches_on_kind(self) -> None:
        validate_schedule("cron", "0 0 * * *")
        validate_schedule("oncalendar", "daily")
        with self.assertRaises(InvalidSchedule):
            validate_schedule("cron", "daily")
        with self.assertRaises(InvalidSchedule):
            validate_schedule("oncalendar", "0 0 * * *")

    def test_it_rejects_six_field_cron_through_kind_inference(self) -> None:
        expr = "*/15 * * * * *"
        with self.assertRaises(InvalidSchedule):
            validate_schedule(infer_kind(expr), expr)

    def test_it_rejects_impossible_cron_through_kind_inference(self) -> None:
        for expr in ("0 0 30 2 *", "* * */20 * 1L"):
            with self.subTest(expr=expr), self.assertRaises(InvalidSchedule):
                validate_schedule(infer_kind(expr), expr)

    def test_it_rejects_unknown_kind(self) -> None:
        with self.assertRaises(InvalidSchedule):
            validate_schedule("simple", "0 0 * * *")


class NextRunCronTestCase(TestCase):
    def test_it_expects_next_day_after_a_ping_exactly_on_schedule(self) -> None:
        self.assertEqual(
            next_run("cron", "0 10 * * *", "UTC", utc(2024, 5, 1, 10)), utc(2024, 5, 2, 10)
        )

    def test_it_expects_same_day_after_an_early_ping(self) -> None:
        self.assertEqual(
            next_run("cron", "0 10 * * *", "UTC", utc(2024, 5, 1, 9, 59, 58)), utc(2024, 5, 1, 10)
        )

    def test_it_compares_sub_second_pings_strictly(self) -> None:
        early = utc(2024, 5, 1, 9, 59, 59, 999_999)
        late = utc(2024, 5, 1, 10, 0, 0, 1)
        self.assertEqual(next_run("cron", "0 10 * * *", "UTC", early), utc(2024, 5, 1, 10))
        self.assertEqual(next_run("cron", "0 10 * * *", "UTC", late), utc(2024, 5, 2, 10))

    def test_it_returns_an_aware_utc_datetime(self) -> None:
        result = next_run("cron", "0 10 * * *", NEW_YORK, utc(2024, 5, 1))
        assert result is not None
        self.assertIs(result.tzinfo, UTC)
        self.assertEqual(result, utc(2024, 5, 1, 14))

    def test_it_accepts_after_in_any_zone(self) -> None:
        after = utc(2024, 11, 3, 6, 10)
        local_after = after.astimezone(ZoneInfo(NEW_YORK))
        self.assertEqual(local_after.fold, 1)
        self.assertEqual(
            next_run("cron", "30 1 * * *", NEW_YORK, local_after),
            next_run("cron", "30 1 * * *", NEW_YORK, after),
        )

    def test_it_runs_a_skipped_fixed_time_job_at_the_spring_forward_transition(self) -> None:
        # §13.6: last ping 02:31 EST; 02:30 does not exist on 03-10.
        self.assertEqual(
            next_run("cron", "30 2 * * *", NEW_YORK, utc(2024, 3, 9, 7, 31)), utc(2024, 3, 10, 7)
        )
        # A ping at 07:01 UTC (03:01 EDT) moves on to the next day's 02:30 EDT.
        self.assertEqual(
            next_run("cron", "30 2 * * *", NEW_YORK, utc(2024, 3, 10, 7, 1)),
            utc(2024, 3, 11, 6, 30),
        )

    def test_it_moves_only_the_skipped_run_of_a_fixed_time_job(self) -> None:
        runs = next_runs("cron", "15 2,3 * * *", NEW_YORK, utc(2024, 3, 9, 12), 3)
        # 03:00 EDT (moved from 02:15), 03:15 EDT, then 02:15 EDT the next day.
        self.assertEqual(
            runs, [utc(2024, 3, 10, 7), utc(2024, 3, 10, 7, 15), utc(2024, 3, 11, 6, 15)]
        )

    def test_it_does_not_move_a_wildcard_job_out_of_the_skipped_hour(self) -> None:
        # 01:45 EST; 02:00 does not exist, next is 04:00 EDT.
        self.assertEqual(
            next_run("cron", "0 */2 * * *", NEW_YORK, utc(2024, 3, 10, 6, 45)), utc(2024, 3, 10, 8)
        )

    def test_it_fires_a_fixed_time_job_once_at_fall_back(self) -> None:
        runs = next_runs("cron", "30 1 * * *", NEW_YORK, utc(2024, 11, 2, 12), 2)
        # 01:30 EDT (first pass), then 01:30 EST the next day.
        self.assertEqual(runs, [utc(2024, 11, 3, 5, 30), utc(2024, 11, 4, 6, 30)])

    def test_it_never_returns_a_run_before_a_ping_in_the_repeated_hour(self) -> None:
        # §13.7 / D1: ping at 01:10 EST (second pass); 01:30 EDT is already past.
        after = utc(2024, 11, 3, 6, 10)
        self.assertEqual(next_run("cron", "30 1 * * *", NEW_YORK, after), utc(2024, 11, 4, 6, 30))

    def test_it_fires_wildcard_jobs_in_both_passes_at_fall_back(self) -> None:
        half_hourly = next_runs("cron", "*/30 1 * * *", NEW_YORK, utc(2024, 11, 3), 5)
        self.assertEqual(
            half_hourly,
            [
                utc(2024, 11, 3, 5),
                utc(2024, 11, 3, 5, 30),
                utc(2024, 11, 3, 6),
                utc(2024, 11, 3, 6, 30),
                utc(2024, 11, 4, 6),
            ],
        )
        hourly = next_runs("cron", "30 * * * *", NEW_YORK, utc(2024, 11, 3, 4, 45), 3)
        self.assertEqual(
            hourly, [utc(2024, 11, 3, 5, 30), utc(2024, 11, 3, 6, 30), utc(2024, 11, 3, 7, 30)]
        )

    def test_it_expects_sub_hourly_runs_in_both_passes(self) -> None:
        # §13.8
        runs = next_runs("cron", "*/30 * * * *", NEW_YORK, utc(2024, 11, 3, 4, 59), 5)
        self.assertEqual(
            runs,
            [
                utc(2024, 11, 3, 5),
                utc(2024, 11, 3, 5, 30),
                utc(2024, 11, 3, 6),
                utc(2024, 11, 3, 6, 30),
                utc(2024, 11, 3, 7),
            ],
        )

    def test_it_keeps_an_hourly_job_in_riga_one_hour_apart_at_fall_back(self) -> None:
        # §13.9: 00:55 UTC is 03:55 EEST; clocks go back at 04:00 EEST.
        self.assertEqual(
            next_run("cron", "15 * * * *", RIGA, utc(2023, 10, 29, 0, 55)), utc(2023, 10, 29, 1, 15)
        )

    def test_it_returns_utc_so_grace_is_added_after_conversion(self) -> None:
        # §13.10: 02:00 EET on 03-31 is 00:00 UTC; two hours of grace end at
        # 02:00 UTC (05:00 EEST), not at 04:00 local (01:00 UTC).
        run = next_run("cron", "0 2 * * *", RIGA, utc(2024, 3, 30, 0, 5))
        self.assertEqual(run, utc(2024, 3, 31, 0))
        assert run is not None
        self.assertEqual(run + timedelta(hours=2), utc(2024, 3, 31, 2))

    def test_it_matches_either_day_when_both_day_fields_are_restricted(self) -> None:
        runs = next_runs("cron", "0 9 1 * 1", "UTC", utc(2024, 4, 28), 4)
        # Monday 04-29, Wednesday 05-01 (the 1st), Mondays 05-06 and 05-13.
        self.assertEqual(
            runs, [utc(2024, 4, 29, 9), utc(2024, 5, 1, 9), utc(2024, 5, 6, 9), utc(2024, 5, 13, 9)]
        )

    def test_it_matches_both_day_fields_when_one_starts_with_a_star(self) -> None:
        runs = next_runs("cron", "0 9 */2 * 1", "UTC", utc(2024, 3, 31), 4)
        # Mondays on odd dates only.
        self.assertEqual(
            runs,
            [utc(2024, 4, 1, 9), utc(2024, 4, 15, 9), utc(2024, 4, 29, 9), utc(2024, 5, 13, 9)],
        )
        for run in runs:
            self.assertEqual((run.weekday(), run.day % 2), (0, 1))

    def test_it_waits_for_the_next_leap_day(self) -> None:
        # §13.14
        self.assertEqual(next_run("cron", "0 0 29 2 *", "UTC", utc(2024, 2, 29)), utc(2028, 2, 29))

    def test_it_moves_a_fixed_time_job_to_the_end_of_a_half_hour_gap(self) -> None:
        # Lord Howe Island moves its clocks from 02:00 to 02:30 on the first
        # Sunday of October: 2024-10-06 per the zone data.
        zone = ZoneInfo(LORD_HOWE)
        self.assertTrue(is_imaginary(datetime(2024, 10, 6, 2, 15, tzinfo=zone)))
        self.assertFalse(is_imaginary(datetime(2024, 10, 5, 2, 15, tzinfo=zone)))

        runs = next_runs("cron", "15 2 * * *", LORD_HOWE, utc(2024, 10, 4, 12), 3)
        self.assertEqual(
            runs,
            [
                utc(2024, 10, 4, 15, 45),  # 02:15 +10:30
                utc(2024, 10, 5, 15, 30),  # 02:30 +11:00, end of the gap
                utc(2024, 10, 6, 15, 15),  # 02:15 +11:00
            ],
        )
        self.assertEqual(
            runs[1].astimezone(zone).replace(tzinfo=None), datetime(2024, 10, 6, 2, 30)
        )

    def test_it_returns_none_when_nothing_matches_within_the_horizon(self) -> None:
        self.assertIsNone(next_run("cron", "* * */20 * 1L", "UTC", utc(2024, 1, 1)))

    def test_it_rejects_six_field_cron(self) -> None:
        with self.assertRaises(InvalidSchedule):
            next_run("cron", "*/15 * * * * *", "UTC", utc(2024, 1, 1))

    def test_it_rejects_an_unknown_time_zone(self) -> None:
        for tz in ("Mars/Olympus_Mons", "/etc/passwd", "", "Europe/../Etc/UTC"):
            with self.subTest(tz=tz), self.assertRaises(InvalidSchedule):
                next_run("cron", "0 0 * * *", tz, utc(2024, 1, 1))

    def test_it_rejects_a_naive_start(self) -> None:
        with self.assertRaises(ValueError):
            next_run("cron", "0 0 * * *", "UTC", datetime(2024, 1, 1))

    def test_it_rejects_an_unknown_kind(self) -> None:
        with self.assertRaises(InvalidSchedule):
            next_run("simple", "0 0 * * *", "UTC", utc(2024, 1, 1))


class NextRunOnCalendarTestCase(TestCase):
    def test_it_returns_none_once_the_schedule_has_run_out(self) -> None:
        # §13.2
        self.assertIsNone(next_run("oncalendar", "2019-01-01", "UTC", utc(2020, 1, 1)))
        self.assertEqual(next_runs("oncalendar", "2019-01-01", "UTC", utc(2020, 1, 1), 3), [])
        self.assertEqual(
            next_run("oncalendar", "2019-01-01", "UTC", utc(2018, 6, 1)), utc(2019, 1, 1)
        )

    def test_it_skips_a_nonexistent_time_at_spring_forward(self) -> None:
        # §13.6, OnCalendar variant
        run = next_run("oncalendar", "*-*-* 02:30", NEW_YORK, utc(2024, 3, 9, 7, 31))
        self.assertEqual(run, utc(2024, 3, 11, 6, 30))

    def test_it_runs_only_the_existing_time_at_spring_forward(self) -> None:
        runs = next_runs("oncalendar", "*-*-* 02,03:15", NEW_YORK, utc(2024, 3, 9, 12), 2)
        self.assertEqual(runs, [utc(2024, 3, 10, 7, 15), utc(2024, 3, 11, 6, 15)])

    def test_it_does_not_move_wildcard_runs_at_spring_forward(self) -> None:
        run = next_run("oncalendar", "*-*-* 00/2:00", NEW_YORK, utc(2024, 3, 10, 6, 45))
        self.assertEqual(run, utc(2024, 3, 10, 8))

    def test_it_fires_once_at_fall_back(self) -> None:
        runs = next_runs("oncalendar", "*-*-* 01:30", NEW_YORK, utc(2024, 11, 2, 12), 2)
        self.assertEqual(runs, [utc(2024, 11, 3, 5, 30), utc(2024, 11, 4, 6, 30)])

    def test_it_never_returns_a_run_before_a_ping_in_the_repeated_hour(self) -> None:
        # D1, OnCalendar variant
        run = next_run("oncalendar", "*-*-* 01:30", NEW_YORK, utc(2024, 11, 3, 6, 10))
        self.assertEqual(run, utc(2024, 11, 4, 6, 30))

    def test_it_fires_sub_hourly_runs_in_the_first_pass_only(self) -> None:
        # §13.8
        runs = next_runs("oncalendar", "*:00/30", NEW_YORK, utc(2024, 11, 3, 4, 59), 3)
        self.assertEqual(runs, [utc(2024, 11, 3, 5), utc(2024, 11, 3, 5, 30), utc(2024, 11, 3, 7)])

    def test_it_evaluates_a_line_in_its_own_zone(self) -> None:
        # §13.13: Riga is UTC+2 in winter and UTC+3 in summer.
        schedule = "Sat,Sun 10:00 Europe/Riga"
        self.assertEqual(
            next_run("oncalendar", schedule, "UTC", utc(2024, 1, 1)), utc(2024, 1, 6, 8)
        )
        self.assertEqual(
            next_run("oncalendar", schedule, "UTC", utc(2024, 7, 1)), utc(2024, 7, 6, 7)
        )
        self.assertEqual(
            next_run("oncalendar", schedule, NEW_YORK, utc(2024, 7, 1)), utc(2024, 7, 6, 7)
        )

    def test_it_accepts_a_tab_before_the_zone(self) -> None:
        validate_oncalendar("10:00\tEurope/Riga")
        run = next_run("oncalendar", "10:00\tEurope/Riga", "UTC", utc(2024, 1, 1))
        self.assertEqual(run, utc(2024, 1, 1, 8))

    def test_it_evaluates_lines_without_a_zone_in_the_check_zone(self) -> None:
        self.assertEqual(
            next_run("oncalendar", "daily", RIGA, utc(2024, 1, 1)), utc(2024, 1, 1, 22)
        )

    def test_it_picks_the_earliest_match_of_several_lines(self) -> None:
        schedule = "12:00 UTC\n12:00 Asia/Tokyo"
        runs = next_runs("oncalendar", schedule, RIGA, utc(2024, 5, 1), 4)
        self.assertEqual(
            runs, [utc(2024, 5, 1, 3), utc(2024, 5, 1, 12), utc(2024, 5, 2, 3), utc(2024, 5, 2, 12)]
        )
        reversed_lines = "\n".join(reversed(schedule.splitlines()))
        self.assertEqual(next_runs("oncalendar", reversed_lines, RIGA, utc(2024, 5, 1), 4), runs)

    def test_it_reports_lines_matching_the_same_instant_once(self) -> None:
        runs = next_runs("oncalendar", "daily\n*-*-* 00:00:00", "UTC", utc(2024, 5, 1), 3)
        self.assertEqual(runs, [utc(2024, 5, 2), utc(2024, 5, 3), utc(2024, 5, 4)])

    def test_it_accepts_windows_line_endings(self) -> None:
        runs = next_runs("oncalendar", "Mon 09:00\r\nFri 17:00\r\n", "UTC", utc(2024, 4, 29, 12), 2)
        self.assertEqual(runs, [utc(2024, 5, 3, 17), utc(2024, 5, 6, 9)])

    def test_it_supports_the_last_day_of_the_month(self) -> None:
        self.assertEqual(
            next_run("oncalendar", "*-*~01 12:00", "UTC", utc(2024, 2, 10)), utc(2024, 2, 29, 12)
        )

    def test_it_rejects_an_invalid_expression(self) -> None:
        with self.assertRaises(InvalidSchedule):
            next_run("oncalendar", "daily\nbogus", "UTC", utc(2024, 1, 1))


class NextRunsTestCase(TestCase):
    def test_it_returns_consecutive_runs_in_order(self) -> None:
        runs = next_runs("cron", "*/15 * * * *", "UTC", utc(2024, 5, 1, 12, 7), 5)
        self.assertEqual(
            runs,
            [
                utc(2024, 5, 1, 12, 15),
                utc(2024, 5, 1, 12, 30),
                utc(2024, 5, 1, 12, 45),
                utc(2024, 5, 1, 13),
                utc(2024, 5, 1, 13, 15),
            ],
        )

    def test_it_agrees_with_chained_next_run_across_dst_changes(self) -> None:
        cases = [
            ("cron", "30 1 * * *", NEW_YORK, utc(2024, 11, 1)),
            ("cron", "*/20 1-2 * * *", NEW_YORK, utc(2024, 11, 3, 4)),
            ("cron", "15 2,3 * * *", NEW_YORK, utc(2024, 3, 9)),
            ("cron", "0-59/10 1 * * *", NEW_YORK, utc(2024, 11, 3, 5, 45)),
            ("cron", "15 2 * * *", LORD_HOWE, utc(2024, 4, 5)),
            ("oncalendar", "*:00/20", NEW_YORK, utc(2024, 11, 3, 4)),
            ("oncalendar", "01:30\n01:45 UTC\n*-*-* 01:15", NEW_YORK, utc(2024, 11, 2)),
        ]
        for kind, schedule, tz, after in cases:
            with self.subTest(schedule=schedule, after=after.isoformat()):
                runs = next_runs(kind, schedule, tz, after, 12)
                self.assertEqual(len(runs), 12)
                previous = after
                for run in runs:
                    self.assertGreater(run, previous)
                    self.assertEqual(next_run(kind, schedule, tz, previous), run)
                    previous = run

    def test_it_returns_fewer_runs_when_the_schedule_runs_out(self) -> None:
        runs = next_runs("oncalendar", "2030-01-01\n2031-01-01", "UTC", utc(2029, 6, 1), 5)
        self.assertEqual(runs, [utc(2030, 1, 1), utc(2031, 1, 1)])

    def test_it_returns_nothing_for_a_count_of_zero(self) -> None:
        self.assertEqual(next_runs("cron", "* * * * *", "UTC", utc(2024, 1, 1), 0), [])
