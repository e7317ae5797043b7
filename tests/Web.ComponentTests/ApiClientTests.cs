using System.Net;

namespace QuestAspire.Web.ComponentTests;

/// <summary>Every way a call can fail becomes a message a person can read.</summary>
public sealed class ApiClientTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignIn_WrongPassword_GivesAuthsMessage()
    {
        var api = FakeApi.Answering(HttpStatusCode.BadRequest, FakeApi.Problem(400, "Incorrect user name or password."), "application/problem+json");

        var result = await Auth(api).SignInAsync("user", "nope", Token);

        Assert.Equal("Incorrect user name or password.", result.Error?.Message);
        var request = Assert.Single(api.Requests);
        Assert.Equal("/login/access-token", request.RequestUri?.AbsolutePath);
        Assert.Null(request.Headers.Authorization);
    }

    [Fact]
    public async Task SignIn_BannedUser_GivesAuthsMessage()
    {
        var api = FakeApi.Answering(HttpStatusCode.Forbidden, FakeApi.Problem(403, "This account is banned."), "application/problem+json");

        var result = await Auth(api).SignInAsync("user", "password", Token);

        Assert.Equal("This account is banned.", result.Error?.Message);
    }

    [Fact]
    public async Task SignIn_AuthUnreachable_SaysSo()
    {
        var api = new FakeApi(_ => throw new HttpRequestException("Connection refused (auth-api:80)"));

        var result = await Auth(api).SignInAsync("user", "password", Token);

        Assert.Equal("The account service cannot be reached right now. Try again in a moment.", result.Error?.Message);
    }

    [Fact]
    public async Task SignIn_TooManyAttempts_AsksToWait()
    {
        var result = await Auth(FakeApi.Answering(HttpStatusCode.TooManyRequests)).SignInAsync("user", "password", Token);

        Assert.Equal("Too many sign-in attempts. Wait a few seconds and try again.", result.Error?.Message);
    }

    [Fact]
    public async Task ServerError_KeepsItsDetailsOffThePage()
    {
        var api = FakeApi.Answering(HttpStatusCode.InternalServerError, FakeApi.Problem(500, "Npgsql.PostgresException: column q.xmin does not exist"), "application/problem+json");

        var result = await Auth(api).ClaimAsync(Guid.NewGuid(), Token);

        Assert.Equal("The account service had a problem (HTTP 500). Try again in a moment.", result.Error?.Message);
    }

    [Fact]
    public async Task ValidationProblem_KeepsTheFieldErrors()
    {
        var problem = new { title = "One or more validation errors occurred.", status = 400, errors = new Dictionary<string, string[]> { ["reward_id"] = ["reward_id is required."] } };
        var catalog = new CatalogClient(TestServices.Client(FakeApi.Answering(HttpStatusCode.BadRequest, problem, "application/problem+json"), "catalog-api"), TestServices.Session());

        var result = await catalog.CreateQuestAsync(new QuestRequest("q", "", 1, 1, false, null), Token);

        Assert.Equal(["reward_id is required."], result.Error!.FieldErrors["reward_id"]);
    }

    [Fact]
    public async Task Calls_CarryTheSignedInUsersToken()
    {
        var api = FakeApi.Answering(HttpStatusCode.OK, Array.Empty<RewardClaim>());

        var result = await Auth(api).GetClaimsAsync(Token);

        Assert.True(result.IsSuccess);
        Assert.Equal("Bearer token-of-alice", Assert.Single(api.Requests).Headers.Authorization?.ToString());
    }

    [Theory]
    [InlineData("/rewards", "/rewards")]
    [InlineData("/admin?tab=quests", "/admin?tab=quests")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData(null, "/")]
    public void ReturnUrl_OutsideTheSite_GoesHome(string? returnUrl, string expected) =>
        Assert.Equal(expected, LocalUrl.OrHome(returnUrl));

    [Fact]
    public void SignedInUser_SurvivesTheCookie()
    {
        var principal = TestServices.Player.ToPrincipal("cookie");

        Assert.Equal(TestServices.Player, SignedInUser.From(principal));
        Assert.True(principal.IsInRole(Roles.Player));
    }

    private static AuthClient Auth(FakeApi api) => new(TestServices.Client(api, "auth-api"), TestServices.Session(), TestServices.Telemetry);
}
