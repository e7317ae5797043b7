using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Time.Testing;
// Named so: inside QuestAspire.*, "Quests" is the QuestAspire.Quests namespace.
using QuestsPage = QuestAspire.Web.Components.Pages.Quests;

namespace QuestAspire.Web.ComponentTests;

/// <summary>The quests page: refreshed by pushes, and never an endless spinner.</summary>
public sealed class QuestsPageTests : BunitContext
{
    private static readonly Reward Diamonds = new(Guid.NewGuid(), "signin_three", "diamond", 10, true);
    private static readonly Quest SignInThree = new(Guid.NewGuid(), "signin_three", "Sign in 3 times", 3, 2, false, true, Diamonds);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly PageClock _time = new(TestServices.Player.SignedInAt.AddSeconds(2));
    private readonly FakeProgressStreams _streams = new();
    private volatile bool _claimStored;
    private volatile int _progress = 2;

    private FakeApi Use()
    {
        var completed = new RewardClaim(Guid.NewGuid(), SignInThree.QuestId, SignInThree.Name, "diamond", 10, "Pending", TestServices.Player.SignedInAt, null);
        // Answers asynchronously, as a real service does: the page's first render comes before them.
        var api = new FakeApi(async request =>
        {
            await Task.Yield();
            if (FakeProgressStreams.IsStream(request))
            {
                return await _streams.AnswerAsync(request);
            }

            var path = request.RequestUri!.AbsolutePath;
            object body = path switch
            {
                "/api/quests" => new[] { SignInThree },
                _ when path.EndsWith("/progress", StringComparison.Ordinal) => new[]
                {
                    new QuestProgress(SignInThree.QuestId, SignInThree.Name, _progress % 3, 3, _progress / 3, 2, TestServices.Player.SignedInAt),
                },
                _ when path.EndsWith("/events", StringComparison.Ordinal) => new EventPage(
                    [new ActivityEvent(Guid.NewGuid(), "UserSignIn", TestServices.Player.UserId, TestServices.Player.SignedInAt, TestServices.Player.SignedInAt, System.Text.Json.JsonSerializer.SerializeToElement(new { }))], 1, 1, 1),
                "/users/me/claims" => _claimStored ? new[] { completed } : Array.Empty<RewardClaim>(),
                _ => new UserProfile(TestServices.Player.UserId, "alice", "active", Roles.Player, 0, 0),
            };
            return FakeApi.Response(HttpStatusCode.OK, body);
        });
        Services.AddWebClients(api);
        Services.AddSingleton<TimeProvider>(_time);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return api;
    }

    [Fact]
    public async Task QuestsPage_APush_RefreshesTheCards_AndTheEventLogIsNotAskedAgain()
    {
        var api = Use();
        var page = Render<QuestsPage>();
        page.WaitForAssertion(() => Assert.Equal("2 / 3", page.Find("[data-testid=progress]").TextContent));
        page.WaitForAssertion(() => Assert.Equal(1, _streams.Open));
        Assert.NotEmpty(page.FindAll("[data-testid=up-to-date]"));

        _progress = 3;
        _claimStored = true;
        await _streams.Latest.SendAsync(ProgressStream.ChangedEvent);

        page.WaitForAssertion(() => Assert.Equal("0 / 3", page.Find("[data-testid=progress]").TextContent));
        Assert.Equal("1 / 2", page.Find("[data-testid=completions]").TextContent);
        Assert.Single(api.Requests, r => r.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QuestsPage_AClaimThatDoesNotArrive_EndsTheSpinnerWithASentenceAfter15Seconds()
    {
        _progress = 3; // a completion whose claim Auth never stores
        Use();
        var processingSince = _time.GetUtcNow();
        var page = Render<QuestsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=processing]")));

        // Each time the page has armed its next look (after the refresh of the last one), the
        // clock moves to it: no look is skipped and none is waited for in real time.
        for (var i = 0; i < 20; i++)
        {
            var due = _time.WaitForNextTimer(Patience);
            if (page.FindAll("[data-testid=processing-stuck]").Count > 0)
            {
                break;
            }

            _time.Advance(due - _time.GetUtcNow());
        }

        Assert.True(_time.GetUtcNow() - processingSince >= QuestsPage.ProcessingPatience,
            $"the sentence came after {(_time.GetUtcNow() - processingSince).TotalSeconds} s of processing, before {QuestsPage.ProcessingPatience.TotalSeconds} s");
        page.WaitForAssertion(() => Assert.Contains("has not reached your rewards after 15 seconds", page.Find("[data-testid=processing-stuck]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".spinner"));

        // It still comes when it comes: the next look finds it.
        page.WaitForAssertion(() => Assert.Equal(1, _streams.Open));
        _claimStored = true;
        await _streams.Latest.SendAsync(ProgressStream.ChangedEvent);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=up-to-date]")));
    }

    [Fact]
    public async Task QuestsPage_Disposed_ClosesItsStream()
    {
        var api = Use();
        var page = Render<QuestsPage>();
        page.WaitForAssertion(() => Assert.Equal(1, _streams.Open));
        var stream = _streams.Latest;

        await DisposeComponentsAsync();

        await stream.WhenClosedAsync(Patience); // the page's progress stream is given up when the page goes away
        Assert.Equal($"Bearer {TestServices.Player.AccessToken}", stream.Request.Headers.Authorization?.ToString());
        Assert.Equal($"/api/users/{TestServices.Player.UserId}/progress/stream", stream.Request.RequestUri!.AbsolutePath);
        Assert.Single(api.Requests, FakeProgressStreams.IsStream);
    }

    /// <summary>A fake clock that says when the page arms a timer (its next look) and when that timer is due.</summary>
    private sealed class PageClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly Channel<DateTimeOffset> _armed = Channel.CreateUnbounded<DateTimeOffset>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _armed.Writer.TryWrite(GetUtcNow() + dueTime);
            return timer;
        }

        /// <summary>Waits until the page arms its next timer; answers when that timer is due.</summary>
        public DateTimeOffset WaitForNextTimer(TimeSpan timeout)
        {
            var next = _armed.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask();
            Assert.True(next.Wait(timeout, TestContext.Current.CancellationToken), $"the page armed no timer within {timeout.TotalSeconds} s");
            return next.Result;
        }
    }
}
