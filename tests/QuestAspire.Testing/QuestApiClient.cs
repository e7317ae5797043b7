using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuestAspire.Testing;

/// <summary>
/// Talks to the running services over HTTP, as the Web front end or a curl user would: those of a
/// whole AppHost, or Auth alone in its fast tier (without the others' clients).
/// </summary>
public sealed class QuestApiClient(HttpClient auth, HttpClient? catalog = null, HttpClient? processing = null) : IDisposable
{
    public QuestApiClient(DistributedApplication app)
        : this(app.CreateHttpClient(ResourceNames.AuthApi), app.CreateHttpClient(ResourceNames.CatalogApi), app.CreateHttpClient(ResourceNames.ProcessingWorker))
    {
    }

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public HttpClient Auth { get; } = auth;

    public HttpClient Catalog => catalog ?? throw new InvalidOperationException("This client talks to Auth alone.");

    public HttpClient Processing => processing ?? throw new InvalidOperationException("This client talks to Auth alone.");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static string NewUserName() => "player-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>
    /// A new player, made by an admin (<c>POST /admin/users</c>): the public sign-up is limited per
    /// address, and every test calls from the same one. Tests of the sign-up itself use <see cref="PostSignUpAsync"/>.
    /// </summary>
    public async Task<Guid> SignUpAsync(string userName, string password = "correct-horse")
    {
        var admin = await AdminTokenAsync();
        using var response = await SendAsync(Auth, HttpMethod.Post, "/admin/users", admin,
            JsonContent.Create(new { users = new[] { new { user_name = userName, password } } }));
        await EnsureStatusAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("users")[0].GetProperty("user_id").GetGuid();
    }

    /// <summary>The public sign-up, as a visitor makes it.</summary>
    public Task<HttpResponseMessage> PostSignUpAsync(string userName, string password) =>
        Auth.PostAsJsonAsync("/users/signup", new { user_name = userName, password }, Token).WaitAsync(RequestTimeout, Token);

    private string? _adminToken;

    /// <summary>The seeded admin's token, signed in once per client.</summary>
    public async Task<string> AdminTokenAsync() =>
        _adminToken ??= await SignInAsync("admin", TestAppHost.AdminPassword);

    public Task<HttpResponseMessage> PostSignInAsync(string userName, string password) =>
        Auth.PostAsync("/login/access-token",
            new FormUrlEncodedContent([new("username", userName), new("password", password)]), Token).WaitAsync(RequestTimeout, Token);

    public async Task<string> SignInAsync(string userName, string password = "correct-horse")
    {
        using var response = await PostSignInAsync(userName, password);
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>A new player who signed in <paramref name="signIns"/> times; the token is the last sign-in's.</summary>
    public async Task<(Guid UserId, string UserName, string Token)> NewPlayerSignedInAsync(int signIns, string password = "correct-horse")
    {
        var userName = NewUserName();
        var userId = await SignUpAsync(userName, password);
        var token = "";
        for (var i = 0; i < signIns; i++)
        {
            token = await SignInAsync(userName, password);
        }

        return (userId, userName, token);
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, Token).WaitAsync(RequestTimeout, Token);
        await EnsureStatusAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request, Token).WaitAsync(RequestTimeout, Token);
    }

    public Task<JsonElement> GetMeAsync(string token) => GetAsync(Auth, "/users/me", token);

    public async Task<JsonElement[]> GetClaimsAsync(string token) =>
        [.. (await GetAsync(Auth, "/users/me/claims", token)).EnumerateArray()];

    public async Task<JsonElement[]> GetEventsAsync(Guid userId, string token) =>
        [.. (await GetAsync(Processing, $"/api/users/{userId}/events?page=1&page_size=100", token)).GetProperty("items").EnumerateArray()];

    public async Task<Guid> GetQuestIdAsync(string name) =>
        (await Catalog.GetFromJsonAsync<JsonElement>($"/api/quests/by-name/{name}", Token).WaitAsync(RequestTimeout, Token))
            .GetProperty("quest_id").GetGuid();

    /// <summary>
    /// The body of a new auto-claim quest of a test: a fresh name, <paramref name="streak"/>,
    /// <paramref name="duplication"/> and <paramref name="rewardId"/>, with the kind fields of
    /// <paramref name="fields"/> (an object whose properties are the quest's JSON fields).
    /// </summary>
    public static Dictionary<string, JsonElement> QuestBody(object fields, int streak, int duplication, Guid rewardId)
    {
        var body = JsonSerializer.SerializeToElement(fields).EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        body["name"] = JsonSerializer.SerializeToElement($"kind-{Guid.NewGuid():N}"[..22]);
        body["description"] = JsonSerializer.SerializeToElement("A quest of a test");
        body["streak"] = JsonSerializer.SerializeToElement(streak);
        body["duplication"] = JsonSerializer.SerializeToElement(duplication);
        body["auto_claim"] = JsonSerializer.SerializeToElement(true);
        body["reward_id"] = JsonSerializer.SerializeToElement(rewardId);
        return body;
    }

    /// <summary>GETs <paramref name="path"/> and asserts <paramref name="expected"/> (the failure names the path, the status and the body); the body as JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(path, Token).WaitAsync(RequestTimeout, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == expected, $"GET {path} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with <paramref name="token"/> and expects 201; the created resource.</summary>
    public static async Task<JsonElement> CreateAsync(HttpClient http, string path, string token, object body)
    {
        using var response = await SendAsync(http, HttpMethod.Post, path, token, JsonContent.Create(body));
        await EnsureStatusAsync(response, HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    /// <summary>Polls (through <see cref="Poll"/>) until <paramref name="condition"/> holds, failing with the last value seen.</summary>
    public static Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(what, _ => read(), condition, timeout ?? TimeSpan.FromSeconds(60), Token, last => JsonSerializer.Serialize(last, Json));

    public static async Task EnsureStatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(Token);
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        }
    }

    public void Dispose()
    {
        Auth.Dispose();
        catalog?.Dispose();
        processing?.Dispose();
    }
}
