using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace QuestAspire.Auth.Api.ApiTests;

/// <summary>
/// Auth.Api's answers to good and bad input, in the fast tier (the service in this process over real
/// Postgres and RabbitMQ): each bad one a clear 4xx problem, never a 500, no partial write.
/// </summary>
public sealed class AuthApiTests(AuthApiFixture fixture) : IDisposable
{
    private readonly QuestApiClient _api = fixture.CreateApiClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInFlood_PastTheHashingCapacity_IsShedAtOnce_With503AndRetryAfter()
    {
        var userName = QuestApiClient.NewUserName();
        await _api.SignUpAsync(userName);

        // Far more at once than the hashing slots and their queue hold (one slot per core but one, three waiting).
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await _api.PostSignInAsync(userName, "correct-horse");
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType, clock.Elapsed);
        }));

        var shed = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(shed.Count > 0, $"no sign-in was shed: {string.Join(", ", answers.Select(a => a.StatusCode))}");
        Assert.True(answers.All(a => a.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable),
            $"every answer is a sign-in or a shed one: {string.Join(", ", answers.Select(a => a.StatusCode))}");
        Assert.All(shed, a =>
        {
            Assert.Equal(TimeSpan.FromSeconds(1), a.RetryAfter);
            Assert.Equal("application/problem+json", a.MediaType);
        });
        // A shed answer does not wait for a hash: it is faster than the slowest accepted one.
        Assert.True(shed.Min(a => a.Elapsed) < answers.Where(a => a.StatusCode == HttpStatusCode.OK).Max(a => a.Elapsed),
            $"shed {shed.Min(a => a.Elapsed)} vs accepted {answers.Where(a => a.StatusCode == HttpStatusCode.OK).Max(a => a.Elapsed)}");
    }

    [Fact]
    public async Task SignUp_ThenSignIn_GivesABearerTokenAndANewActiveUser()
    {
        var userName = QuestApiClient.NewUserName();
        var userId = await _api.SignUpAsync(userName);

        var token = await _api.SignInAsync(userName);
        var me = await _api.GetMeAsync(token);

        Assert.Equal(userId, me.GetProperty("user_id").GetGuid());
        Assert.Equal(userName, me.GetProperty("user_name").GetString());
        Assert.Equal("Active", me.GetProperty("status").GetString());
        Assert.Equal(0, me.GetProperty("gold").GetInt32());
        Assert.Equal(0, me.GetProperty("diamond").GetInt32());
    }

    [Theory]
    [InlineData("""{"password":"long-enough"}""", "user_name")]
    [InlineData("""{"user_name":"someone-ok"}""", "password")]
    [InlineData("""{"user_name":"x","password":"long-enough"}""", "user_name")]
    [InlineData("""{"user_name":"has space","password":"long-enough"}""", "user_name")]
    [InlineData("""{"user_name":"short-pass-user","password":"short"}""", "password")]
    [InlineData("""{"user_name":"long-pass-user","password":"12345678901234567890123456789012345678901"}""", "password")]
    public async Task SignUp_WithInvalidFields_Answers400NamingTheField(string body, string field)
    {
        using var response = await _api.Auth.PostAsync("/users/signup", new StringContent(body, Encoding.UTF8, "application/json"), Token);

        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Theory]
    [InlineData("""{"user_name":123,"password":"long-enough"}""")]
    [InlineData("""{"user_name":"ok-name","password":""")]
    [InlineData("not json")]
    public async Task SignUp_WithMalformedJson_Answers400Problem(string body)
    {
        using var response = await _api.Auth.PostAsync("/users/signup", new StringContent(body, Encoding.UTF8, "application/json"), Token);

        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignUp_WithOversizedBody_Answers413()
    {
        var body = JsonSerializer.Serialize(new { user_name = "big-body", password = new string('x', 100_000) });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/users/signup") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true; // the 413 comes before the body is sent, not racing it
        using var response = await _api.Auth.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task SignUp_WithATakenName_Answers409AndKeepsTheFirstUser()
    {
        var userName = QuestApiClient.NewUserName();
        await _api.SignUpAsync(userName, "first-password");

        using var response = await _api.Auth.PostAsJsonAsync("/users/signup", new { user_name = userName, password = "second-password" }, Token);

        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.Conflict);
        await _api.SignInAsync(userName, "first-password"); // the first account is untouched
    }

    [Fact]
    public async Task SignIn_WithWrongPasswordOrUnknownUser_Answers400WithoutSayingWhich()
    {
        var userName = QuestApiClient.NewUserName();
        await _api.SignUpAsync(userName);

        using var wrongPassword = await _api.PostSignInAsync(userName, "not-the-password");
        using var unknownUser = await _api.PostSignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "whatever-1");

        await QuestApiClient.EnsureStatusAsync(wrongPassword, HttpStatusCode.BadRequest);
        await QuestApiClient.EnsureStatusAsync(unknownUser, HttpStatusCode.BadRequest);
        var first = await wrongPassword.Content.ReadFromJsonAsync<JsonElement>(Token);
        var second = await unknownUser.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
        Assert.False(first.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task SignIn_WithMissingFieldsOrJson_Answers4xx()
    {
        using var missing = await _api.Auth.PostAsync("/login/access-token", new FormUrlEncodedContent([new("username", "user")]), Token);
        using var json = await _api.Auth.PostAsJsonAsync("/login/access-token", new { username = "user", password = "password" }, Token);

        await QuestApiClient.EnsureStatusAsync(missing, HttpStatusCode.BadRequest);
        await QuestApiClient.EnsureStatusAsync(json, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task SignIn_OfABannedUser_Answers403()
    {
        var userName = QuestApiClient.NewUserName();
        var userId = await _api.SignUpAsync(userName);
        var admin = await _api.SignInAsync("admin", TestAppHost.AdminPassword);
        using (var ban = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/{userId}/ban", admin))
        {
            await QuestApiClient.EnsureStatusAsync(ban, HttpStatusCode.OK);
        }

        using var response = await _api.PostSignInAsync(userName, "correct-horse");

        await QuestApiClient.EnsureStatusAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Ban_ByAPlayer_Answers403()
    {
        var userName = QuestApiClient.NewUserName();
        var userId = await _api.SignUpAsync(userName);
        var token = await _api.SignInAsync(userName);

        using var response = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Post, $"/users/{userId}/ban", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/users/me")]
    [InlineData("/users/me/claims")]
    public async Task Me_WithoutOrWithAForgedToken_Answers401(string path)
    {
        const string forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkzMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDAiLCJyb2xlIjoiYWRtaW4ifQ.c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ";

        using var none = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Get, path, token: null);
        using var bad = await QuestApiClient.SendAsync(_api.Auth, HttpMethod.Get, path, forged);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    public void Dispose() => _api.Dispose();
}
