using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace QuestAspire.Data.UnitTests;

/// <summary>
/// The pure parts of <see cref="Idempotency"/>: which keys are accepted, what makes two requests
/// "the same", which status a result answers with (what decides commit or rollback), and that a
/// kept answer is exactly what was sent. Claiming and storing keys run against Postgres in the
/// wallet and events integration tests.
/// </summary>
public sealed class IdempotencyTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();

    private static DefaultHttpContext Request(string path, string? key, string method = "POST")
    {
        var http = new DefaultHttpContext { RequestServices = Services };
        http.Request.Method = method;
        http.Request.Path = path;
        if (key is not null)
        {
            http.Request.Headers[Idempotency.HeaderName] = key;
        }

        return http;
    }

    [Fact]
    public void ReadKey_WithoutTheHeader_IsNoKeyAndNoError()
    {
        Assert.Equal((null, null), Idempotency.ReadKey(Request("/spend", key: null).Request));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("caf\u00e9")]
    [InlineData("tab\there")]
    public void ReadKey_BlankOrNotVisibleAscii_IsAnError(string key)
    {
        var (read, error) = Idempotency.ReadKey(Request("/spend", key).Request);

        Assert.Null(read);
        Assert.Contains(Idempotency.HeaderName, error);
    }

    [Fact]
    public void ReadKey_OfTheLongestLength_IsAccepted_AndOneMoreIsAnError()
    {
        var longest = new string('k', Idempotency.MaxKeyLength);

        Assert.Equal((longest, null), Idempotency.ReadKey(Request("/spend", longest).Request));
        Assert.NotNull(Idempotency.ReadKey(Request("/spend", longest + "k").Request).Error);
    }

    [Fact]
    public void Identify_ABadKey_AnswersAValidationProblemNamingTheHeader()
    {
        var (identified, error) = Idempotency.Identify(Request("/spend", "no spaces allowed"), "user-1", new { qty = 1 });

        Assert.Null(identified);
        Assert.Equal(StatusCodes.Status400BadRequest, error!.StatusCode);
        Assert.True(error.ProblemDetails.Errors.ContainsKey(Idempotency.HeaderName));
    }

    [Fact]
    public void Identify_TheSameRequest_HashesTheSame_AnotherBodyPathOrMethodDoesNot()
    {
        static string HashOf(string path, object body, string method = "POST") =>
            Idempotency.Identify(Request(path, "key-1", method), "user-1", body).Request!.Hash;

        var first = HashOf("/spend", new { item = "gold", qty = 1 });

        Assert.Equal(first, HashOf("/spend", new { item = "gold", qty = 1 }));
        Assert.NotEqual(first, HashOf("/spend", new { item = "gold", qty = 2 }));
        Assert.NotEqual(first, HashOf("/refund", new { item = "gold", qty = 1 }));
        Assert.NotEqual(first, HashOf("/spend", new { item = "gold", qty = 1 }, method: "PUT"));
    }

    [Fact]
    public void Identify_KeepsTheScopeAndTheKey()
    {
        var identified = Idempotency.Identify(Request("/spend", "key-1"), "user-1", new { qty = 1 }).Request!;

        Assert.Equal(("user-1", "key-1"), (identified.Scope, identified.Key));
    }

    [Fact]
    public void StatusOf_ReadsTheStatus_LooksIntoAUnion_AndIs200WhenTheResultDoesNotSay()
    {
        Results<Ok<string>, NotFound> notFound = TypedResults.NotFound();
        Results<Ok<string>, NotFound> ok = TypedResults.Ok("fine");

        Assert.Equal(404, Idempotency.StatusOf(notFound));
        Assert.Equal(200, Idempotency.StatusOf(ok));
        Assert.Equal(409, Idempotency.StatusOf(TypedResults.Conflict()));
        Assert.Equal(503, Idempotency.StatusOf(TypedResults.StatusCode(503)));
        Assert.Equal(200, Idempotency.StatusOf(TypedResults.Text("no status of its own")));
    }

    [Fact]
    public async Task KeepAsync_KeepsStatusTypeBodyETagAndLocation_AndAnswersTheSameBytes()
    {
        var http = Request("/things", "key-1");
        http.Response.Headers.ETag = "\"7\""; // set on the live response only: not what the result itself sends

        var (record, answer) = await Idempotency.KeepAsync(TypedResults.Created("/things/1", new { thing_id = 1 }), http);

        Assert.Equal(201, record.StatusCode);
        Assert.StartsWith("application/json", record.ContentType);
        Assert.Equal("""{"thing_id":1}""", Encoding.UTF8.GetString(record.Body));
        Assert.Equal("/things/1", record.Location);
        Assert.Null(record.ETag);

        var sent = new DefaultHttpContext { RequestServices = Services };
        using var body = new MemoryStream();
        sent.Response.Body = body;
        await answer.ExecuteAsync(sent);
        Assert.Equal(201, sent.Response.StatusCode);
        Assert.Equal(record.Body, body.ToArray());
        Assert.Equal("/things/1", sent.Response.Headers.Location.ToString());
        Assert.False(sent.Response.Headers.ContainsKey(Idempotency.ReplayedHeaderName)); // the first answer is not a replay
    }
}
