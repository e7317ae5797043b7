using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Net.Sockets;

namespace QuestAspire.IntegrationTests;

/// <summary>
/// The front door under abuse, against the running system: per-account lockout, the sign-up
/// limit per client address, which callers may forward an address, revocable tokens, and the
/// bulk player creation that operators use instead of the public sign-up.
/// </summary>
public sealed class SecurityTests(AppFixture fixture) : IDisposable
{
    private const string Password = "correct-horse";
    private readonly QuestApiClient _api = new(fixture.App);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenForTheRightOne_UntilTheLockoutEnds()
    {
        var userName = QuestApiClient.NewUserName();
        await _api.SignUpAsync(userName);
        var bystander = QuestApiClient.NewUserName();
        await _api.SignUpAsync(bystander);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await _api.PostSignInAsync(userName, "wrong-password");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var lockedAt = DateTimeOffset.UtcNow;
        using (var locked = await _api.PostSignInAsync(userName, Password))
        {
            await AssertTooManyAsync(locked, "Too many failed sign-ins for this account");
            Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TestAppHost.LockoutDuration);
        }

        // Another account from the same address is unaffected.
        await _api.SignInAsync(bystander);

        // The lockout ends by itself (seconds in test runs); then the right password works.
        await QuestApiClient.EventuallyAsync(async () =>
        {
            using var response = await _api.PostSignInAsync(userName, Password);
            return response.StatusCode;
        }, status => status == HttpStatusCode.OK, "the lockout to end", TimeSpan.FromSeconds(30));
        Assert.True(DateTimeOffset.UtcNow - lockedAt >= TestAppHost.LockoutDuration - TimeSpan.FromSeconds(1),
            "the account stayed locked for the lockout's duration");
    }

    [Fact]
    public async Task ASuccess_ResetsTheFailureCount()
    {
        var userName = QuestApiClient.NewUserName();
        await _api.SignUpAsync(userName);

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                using var wrong = await _api.PostSignInAsync(userName, "wrong-password");
                Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            }

            await _api.SignInAsync(userName);
        }
    }

    [Fact]
    public async Task AnUnknownName_AnswersExactlyLikeAKnownOne()
    {
        var known = QuestApiClient.NewUserName();
        await _api.SignUpAsync(known);
        var unknown = QuestApiClient.NewUserName();

        var knownAnswers = await FailFiveTimesThenTryAsync(known);
        var unknownAnswers = await FailFiveTimesThenTryAsync(unknown);

        Assert.Equal(knownAnswers, unknownAnswers);
        Assert.Equal([.. Enumerable.Repeat("400 Incorrect user name or password.", 5), "429 Account locked"], knownAnswers);
    }

    [Fact]
    public async Task SignUpFlood_FromOneAddress_Gets429WithRetryAfter_WhatEverItForwards()
    {
        // An address of its own, not trusted as a proxy: a new X-Forwarded-For on every request
        // must change nothing (believed, each would get a fresh allowance and none would be refused).
        using var caller = LoopbackClient("127.0.0.3", ResourceNames.AuthApi);
        var (created, refused) = await FloodSignUpsAsync(caller, i => $"198.51.100.{i % 250 + 1}");

        using (refused)
        {
            await AssertTooManyAsync(refused, "Too many sign-ups from your address");
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when");
        }

        AssertWithinOneOrTwoWindows(created);
    }

    [Fact]
    public async Task TheWebsForwardedAddress_IsBelieved_SoEachVisitorHasItsOwnLimit()
    {
        // The Web connects from 127.0.0.2, the one address Auth trusts to forward a visitor's.
        using var web = LoopbackClient("127.0.0.2", ResourceNames.AuthApi);
        var visitor = $"203.0.113.{Random.Shared.Next(1, 250)}";

        var (created, refused) = await FloodSignUpsAsync(web, _ => visitor);
        refused.Dispose();
        AssertWithinOneOrTwoWindows(created);

        // Another visitor behind the same Web has an allowance of its own.
        using var other = await SignUpAsync(web, "2001:db8::7");
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }
    [Fact]
    public async Task ABan_RevokesThePlayersTokens_InEveryService_AndAnUnbanDoesNotRestoreThem()
    {
        var (userId, userName, token) = await _api.NewPlayerSignedInAsync(signIns: 1);
        var admin = await _api.AdminTokenAsync();
        await AssertStatusAsync(_api.Auth, HttpMethod.Get, "/users/me", token, HttpStatusCode.OK);
        await AssertStatusAsync(_api.Processing, HttpMethod.Get, $"/api/users/{userId}/events", token, HttpStatusCode.OK);
        // A player may not create quests (403), which tells a valid token from a refused one (401).
        await AssertStatusAsync(_api.Catalog, HttpMethod.Post, "/api/quests", token, HttpStatusCode.Forbidden, JsonContent.Create(new { }));

        await AssertStatusAsync(_api.Auth, HttpMethod.Post, $"/users/{userId}/ban", admin, HttpStatusCode.OK);

        // Within seconds, without any service asking Auth: the stamp change travels as an event.
        foreach (var (http, method, path) in new[]
        {
            (_api.Auth, HttpMethod.Get, "/users/me"),
            (_api.Auth, HttpMethod.Get, "/users/me/claims"),
            (_api.Processing, HttpMethod.Get, $"/api/users/{userId}/events"),
            (_api.Catalog, HttpMethod.Post, "/api/quests"),
        })
        {
            await QuestApiClient.EventuallyAsync(async () =>
            {
                using var response = await QuestApiClient.SendAsync(http, method, path, token, method == HttpMethod.Post ? JsonContent.Create(new { }) : null);
                return response.StatusCode;
            }, status => status == HttpStatusCode.Unauthorized, $"{path} to refuse the banned player's token", TimeSpan.FromSeconds(15));
        }

        await AssertStatusAsync(_api.Auth, HttpMethod.Post, $"/users/{userId}/unban", admin, HttpStatusCode.OK);
        await QuestApiClient.EventuallyAsync(async () =>
        {
            var fresh = await _api.SignInAsync(userName);
            using var response = await QuestApiClient.SendAsync(_api.Processing, HttpMethod.Get, $"/api/users/{userId}/events", fresh);
            return response.StatusCode;
        }, status => status == HttpStatusCode.OK, "a new token to work after the unban", TimeSpan.FromSeconds(15));
        await AssertStatusAsync(_api.Auth, HttpMethod.Get, "/users/me", token, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unban_OfAPlayerWhoNeverSignedIn_RestoresNew_SoTheFirstSignInIsStillNewUserSignIn()
    {
        var userName = QuestApiClient.NewUserName();
        var userId = await _api.SignUpAsync(userName);
        var admin = await _api.AdminTokenAsync();

        await AssertStatusAsync(_api.Auth, HttpMethod.Post, $"/users/{userId}/ban", admin, HttpStatusCode.OK);
        using var unban = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/{userId}/unban", admin);
        await QuestApiClient.EnsureStatusAsync(unban, HttpStatusCode.OK);
        Assert.Equal("New", (await unban.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("status").GetString());

        var token = await _api.SignInAsync(userName);
        var events = await QuestApiClient.EventuallyAsync(() => _api.GetEventsAsync(userId, token), e => e.Length == 1, "the first sign-in's event");
        Assert.Equal("NewUserSignIn", events[0].GetProperty("event_type").GetString());
    }

    [Fact]
    public async Task APasswordChange_EndsTheOldTokens_AndTheOldPassword()
    {
        var (_, userName, token) = await _api.NewPlayerSignedInAsync(signIns: 1);

        using (var wrongCurrent = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Put, "/users/me/password", token,
            JsonContent.Create(new { current_password = "not-my-password", new_password = "new-password-1" })))
        {
            await AssertValidationProblemAsync(wrongCurrent, "current_password");
        }

        await AssertStatusAsync(_api.Auth, HttpMethod.Put, "/users/me/password", token, HttpStatusCode.NoContent,
            JsonContent.Create(new { current_password = Password, new_password = "new-password-1" }));

        await QuestApiClient.EventuallyAsync(async () =>
        {
            using var response = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Get, "/users/me", token);
            return response.StatusCode;
        }, status => status == HttpStatusCode.Unauthorized, "the old token to be refused", TimeSpan.FromSeconds(15));
        using (var old = await _api.PostSignInAsync(userName, Password))
        {
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        }

        await _api.SignInAsync(userName, "new-password-1");
    }

    [Fact]
    public async Task AdminUsers_CreatesPlayersInBulk_AllOrNothing()
    {
        var admin = await _api.AdminTokenAsync();
        var names = Enumerable.Range(0, 3).Select(_ => QuestApiClient.NewUserName()).ToArray();

        // One bad entry: 400 naming it, and none of the good ones written.
        using (var invalid = await PostUsersAsync(admin, [(names[0], Password), ("x", Password), (names[1], "short")]))
        {
            var errors = await AssertValidationProblemAsync(invalid, "users[1].user_name");
            Assert.True(errors.TryGetProperty("users[2].password", out _), "the short password is named too");
        }

        using (var created = await PostUsersAsync(admin, [.. names.Select(n => (n, Password))]))
        {
            await QuestApiClient.EnsureStatusAsync(created, HttpStatusCode.Created);
            var users = (await created.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("users").EnumerateArray().ToList();
            Assert.Equal(names, users.Select(u => u.GetProperty("user_name").GetString()));
            Assert.All(users, u => Assert.NotEqual(Guid.Empty, u.GetProperty("user_id").GetGuid()));
        }

        await _api.SignInAsync(names[2]);

        // A taken name (up to case) or one repeated in the request: 409 naming them, nothing written.
        var fresh = QuestApiClient.NewUserName();
        using (var taken = await PostUsersAsync(admin, [(fresh, Password), (names[0].ToUpperInvariant(), Password)]))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
            Assert.Contains("users[1]", (await taken.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var repeated = await PostUsersAsync(admin, [(fresh, Password), (fresh, Password)]))
        {
            Assert.Equal(HttpStatusCode.Conflict, repeated.StatusCode);
        }

        using (var freshSignIn = await _api.PostSignInAsync(fresh, Password))
        {
            Assert.Equal(HttpStatusCode.BadRequest, freshSignIn.StatusCode);
        }

        using (var none = await PostUsersAsync(admin, []))
        {
            await AssertValidationProblemAsync(none, "users");
        }

        var player = await _api.SignInAsync(names[1]);
        using var notAdmin = await PostUsersAsync(player, [(QuestApiClient.NewUserName(), Password)]);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    [Fact]
    public async Task UserNames_AreOneNameUpToCase_AndSignInIgnoresCase()
    {
        var userName = "Case-" + Guid.NewGuid().ToString("N")[..8];
        var userId = await _api.SignUpAsync(userName);

        using (var lookAlike = await _api.PostSignUpAsync(userName.ToLowerInvariant(), Password))
        {
            Assert.Equal(HttpStatusCode.Conflict, lookAlike.StatusCode);
        }

        var token = await _api.SignInAsync(userName.ToUpperInvariant());
        var me = await _api.GetMeAsync(token);
        Assert.Equal(userId, me.GetProperty("user_id").GetGuid());
        Assert.Equal(userName, me.GetProperty("user_name").GetString());
    }

    // Sign-ups until the first 429; every answer before it must be 201.
    private static async Task<(int Created, HttpResponseMessage Refused)> FloodSignUpsAsync(HttpClient client, Func<int, string> forwardedFor)
    {
        for (var i = 0; i <= 2 * TestAppHost.SignUpsPerMinute + 1; i++)
        {
            var response = await SignUpAsync(client, forwardedFor(i));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return (i, response);
            }

            using (response)
            {
                await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.Created);
            }
        }

        Assert.Fail($"{2 * TestAppHost.SignUpsPerMinute + 2} sign-ups from one address were all accepted");
        return default;
    }

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/users/signup")
        {
            Content = JsonContent.Create(new { user_name = QuestApiClient.NewUserName(), password = Password }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request, Token);
    }

    // The limit counts per fixed minute, and a flood may straddle the turn of one: between one and two allowances.
    private static void AssertWithinOneOrTwoWindows(int created) =>
        Assert.InRange(created, TestAppHost.SignUpsPerMinute, 2 * TestAppHost.SignUpsPerMinute);

    private async Task<string[]> FailFiveTimesThenTryAsync(string userName)
    {
        var answers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await _api.PostSignInAsync(userName, "wrong-password");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
            answers.Add($"{(int)response.StatusCode} {(response.StatusCode == HttpStatusCode.TooManyRequests ? problem.GetProperty("title") : problem.GetProperty("detail")).GetString()}");
        }

        return [.. answers];
    }

    private Task<HttpResponseMessage> PostUsersAsync(string token, IEnumerable<(string UserName, string Password)> users) =>
        QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, "/admin/users", token,
            JsonContent.Create(new { users = users.Select(u => new { user_name = u.UserName, password = u.Password }) }));

    private static async Task AssertStatusAsync(HttpClient http, HttpMethod method, string path, string token, HttpStatusCode expected, HttpContent? content = null)
    {
        using var response = await QuestApiClient.SendAsync(http, method, path, token, content);
        await QuestApiClient.EnsureStatusAsync(response, expected);
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response, string detailStart)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.StartsWith(detailStart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, problem.GetProperty("retry_after").GetInt32());
    }

    private static async Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"the problem names {field}: {errors}");
        return errors;
    }

    /// <summary>
    /// A client of <paramref name="resource"/> whose connections come from <paramref name="sourceAddress"/>
    /// (any 127/8 address is loopback on Linux), as the Web's do from 127.0.0.2.
    /// </summary>
    private HttpClient LoopbackClient(string sourceAddress, string resource)
    {
        var source = IPAddress.Parse(sourceAddress);
        var endpoint = fixture.App.GetEndpoint(resource, "http");
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = endpoint, Timeout = QuestApiClient.RequestTimeout };
    }

    public void Dispose() => _api.Dispose();
}
