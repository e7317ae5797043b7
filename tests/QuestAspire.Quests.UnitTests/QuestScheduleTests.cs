using NodaTime;

namespace QuestAspire.Quests.UnitTests;

public sealed class QuestScheduleTests
{
    // Each row: reset, zone, an instant, and the period it falls in (start, end), all UTC.
    public static TheoryData<string?, string, string, string, string?> Periods => new()
    {
        // New York's day of the March change (2026-03-08) is 23 hours long, November's (2026-11-01) 25.
        { "daily", "America/New_York", "2026-03-08T12:00:00Z", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z" },
        { "daily", "America/New_York", "2026-11-01T12:00:00Z", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z" },
        // Just before and after local midnight on an ordinary day.
        { "daily", "America/New_York", "2026-12-02T04:59:59Z", "2026-12-01T05:00:00Z", "2026-12-02T05:00:00Z" },
        { "daily", "America/New_York", "2026-12-02T05:00:00Z", "2026-12-02T05:00:00Z", "2026-12-03T05:00:00Z" },
        // Tokyo (UTC+9): 16:00Z on the 1st and 14:00Z on the 2nd are both the 2nd, locally.
        { "daily", "Asia/Tokyo", "2026-12-01T16:00:00Z", "2026-12-01T15:00:00Z", "2026-12-02T15:00:00Z" },
        { "daily", "Asia/Tokyo", "2026-12-02T14:00:00Z", "2026-12-01T15:00:00Z", "2026-12-02T15:00:00Z" },
        { "daily", "UTC", "2026-12-02T23:59:59Z", "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z" },
        // ISO weeks start on Monday: 2026-12-02 is a Wednesday, 2026-12-06 a Sunday, 2026-12-07 a Monday.
        { "weekly", "UTC", "2026-12-02T10:00:00Z", "2026-11-30T00:00:00Z", "2026-12-07T00:00:00Z" },
        { "weekly", "UTC", "2026-12-06T23:59:59Z", "2026-11-30T00:00:00Z", "2026-12-07T00:00:00Z" },
        { "weekly", "UTC", "2026-12-07T00:00:00Z", "2026-12-07T00:00:00Z", "2026-12-14T00:00:00Z" },
        // Sunday 20:00 in New York is already Monday in UTC, but still the local week before.
        { "weekly", "America/New_York", "2026-12-07T01:00:00Z", "2026-11-30T05:00:00Z", "2026-12-07T05:00:00Z" },
        // Tokyo: Monday 08:00 local is Sunday 23:00 UTC, already the new local week.
        { "weekly", "Asia/Tokyo", "2026-12-06T23:00:00Z", "2026-12-06T15:00:00Z", "2026-12-13T15:00:00Z" },
        // A week over the March change is an hour short.
        { "weekly", "America/New_York", "2026-03-10T12:00:00Z", "2026-03-09T04:00:00Z", "2026-03-16T04:00:00Z" },
        // Cron on the player's wall clock: every day at 06:00 Tokyo time.
        { "0 6 * * *", "Asia/Tokyo", "2026-12-02T00:00:00Z", "2026-12-01T21:00:00Z", "2026-12-02T21:00:00Z" },
        // 02:00 does not exist in New York on 2026-03-08: that boundary moves past the gap (03:00 EDT).
        { "0 2 * * *", "America/New_York", "2026-03-08T12:00:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z" },
        // Every Friday at 18:00 local.
        { "0 18 * * 5", "UTC", "2026-12-02T10:00:00Z", "2026-11-27T18:00:00Z", "2026-12-04T18:00:00Z" },
        // Never: one period for all time.
        { null, "Asia/Tokyo", "2026-12-02T10:00:00Z", "1970-01-01T00:00:00Z", null },
    };

    [Theory]
    [MemberData(nameof(Periods))]
    public void PeriodOf_GivesTheLocalPeriod(string? reset, string zone, string at, string start, string? end)
    {
        var schedule = QuestSchedule.TryParse(reset, out var error);

        Assert.Null(error);
        var period = schedule!.PeriodOf(Instant(at), DateTimeZoneProviders.Tzdb[zone]);
        Assert.Equal((Instant(start), end is null ? (DateTimeOffset?)null : Instant(end)), (period.Start, period.End));
    }

    private static DateTimeOffset Instant(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("hourly")]
    [InlineData("Daily")]
    [InlineData("* * *")]
    [InlineData("61 * * * *")]
    [InlineData("")]
    public void TryParse_NotAReset_SaysWhy(string reset)
    {
        Assert.Null(QuestSchedule.TryParse(reset, out var error));
        Assert.Contains("reset must be", error);
    }

    [Fact]
    public void ZoneOf_UnknownOrMissing_IsUtc()
    {
        Assert.Equal(DateTimeZone.Utc, QuestSchedule.ZoneOf(null));
        Assert.Equal(DateTimeZone.Utc, QuestSchedule.ZoneOf("Mars/Olympus_Mons"));
        Assert.Equal("Asia/Tokyo", QuestSchedule.ZoneOf("Asia/Tokyo").Id);
    }

    [Theory]
    [InlineData("Asia/Tokyo", "Asia/Tokyo")]
    [InlineData("asia/tokyo", "Asia/Tokyo")]
    [InlineData("AMERICA/NEW_YORK", "America/New_York")]
    [InlineData("UTC", "UTC")]
    [InlineData("Mars/Olympus_Mons", null)]
    [InlineData("+09:00", null)]
    [InlineData("", null)]
    [InlineData(" ", null)]
    [InlineData(null, null)]
    public void CanonicalZoneId_IsTzdbsSpelling_OrNullForNoZone(string? given, string? expected) =>
        Assert.Equal(expected, QuestSchedule.CanonicalZoneId(given));

    [Fact]
    public void CanonicalZoneId_RefusesAnOverlongId() =>
        Assert.Null(QuestSchedule.CanonicalZoneId(new string('a', QuestSchedule.MaxZoneIdLength + 1)));
}
