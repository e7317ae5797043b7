using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// <c>GET /api/users/{id}/progress/stream</c> through the running system: server-sent events of a
/// player's progress, for the player themself or an admin, from whichever worker replica answers.
/// </summary>
public sealed class ProgressStreamTests(AppFixture fixture) : IDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);

    private readonly QuestApiClient _api = new(fixture.App);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string StreamPath(Guid userId) => $"/api/users/{userId}/progress/stream";

    [Fact]
    public async Task Stream_WithoutAToken_Is401_ForAnotherPlayer_403_ForThePlayer_Ready()
    {
        var (userId, _, token) = await _api.NewPlayerSignedInAsync(signIns: 1);
        var (_, _, otherToken) = await _api.NewPlayerSignedInAsync(signIns: 1);

        using (var anonymous = await QuestApiClient.SendAsync(_api.Processing, HttpMethod.Get, StreamPath(userId), token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var other = await QuestApiClient.SendAsync(_api.Processing, HttpMethod.Get, StreamPath(userId), otherToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }

        await using var own = await OpenAsync(userId, token);
        Assert.Equal("ready", (await own.NextAsync()).EventType);
    }

    [Fact]
    public async Task Stream_SaysChanged_AfterThePlayersSignIn()
    {
        // A player who has not signed in yet, watched by an admin: no earlier change can be in flight.
        var userName = QuestApiClient.NewUserName();
        var userId = await _api.SignUpAsync(userName);
        await using var stream = await OpenAsync(userId, await _api.AdminTokenAsync());
        Assert.Equal("ready", (await stream.NextAsync()).EventType);

        await _api.SignInAsync(userName);

        var seen = new List<string>();
        while (true)
        {
            var item = await stream.NextAsync();
            seen.Add(item.EventType);
            if (item.EventType == "changed")
            {
                Assert.Equal(userId.ToString(), item.Data);
                break;
            }

            Assert.True(item.EventType == "heartbeat", $"the stream sent {string.Join(", ", seen)}");
        }

        // The change it announced is there to read.
        var events = await QuestApiClient.EventuallyAsync(() => _api.GetEventsAsync(userId, stream.Token), e => e.Length > 0, $"the sign-in of {userName} in the log");
        Assert.Equal("NewUserSignIn", events[0].GetProperty("event_type").GetString());
    }

    private async Task<OpenStream> OpenAsync(Guid userId, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, StreamPath(userId));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await _api.Processing.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct).WaitAsync(QuestApiClient.RequestTimeout, Ct);
        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStreamAsync(Ct);
        return new OpenStream(request, response, SseParser.Create(body).EnumerateAsync(Ct).GetAsyncEnumerator(Ct), token);
    }

    public void Dispose() => _api.Dispose();

    private sealed class OpenStream(HttpRequestMessage request, HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items, string token) : IAsyncDisposable
    {
        public string Token => token;

        /// <summary>The next event; fails if none comes within <see cref="EventTimeout"/> (a heartbeat comes every 15 s).</summary>
        public async Task<SseItem<string>> NextAsync()
        {
            Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(EventTimeout, Ct), "the progress stream ended");
            return items.Current;
        }

        public async ValueTask DisposeAsync()
        {
            await items.DisposeAsync();
            response.Dispose();
            request.Dispose();
        }
    }
}
