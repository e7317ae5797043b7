using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using QuestAspire.ServiceDefaults.Api;

namespace QuestAspire.Data;

/// <summary>
/// The first answer to a request sent with an <c>Idempotency-Key</c>: a retry of the same request
/// with the same key gets it again, a different request with the key gets 422. Kept for good.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>Whose key it is: a user id, or <see cref="Idempotency.ServiceScope"/> for a service key. Two callers' keys never meet.</summary>
    public string Scope { get; init; } = "";

    public string Key { get; init; } = "";

    /// <summary>SHA-256 of the method, the path and the parsed body: what makes two requests "the same".</summary>
    public string RequestHash { get; init; } = "";

    public int StatusCode { get; init; }

    public string? ContentType { get; init; }

    public byte[] Body { get; init; } = [];

    public string? ETag { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A request sent with an <c>Idempotency-Key</c>: whose key, the key, and the hash of what was sent with it.</summary>
public sealed record IdempotentRequest(string Scope, string Key, string Hash);

/// <summary>
/// Runs a write as one transaction that also stores its answer under the request's
/// <c>Idempotency-Key</c>. The key's row is inserted first, in the same transaction, so two
/// requests with one key run one after the other: the second waits for the first to commit and
/// then answers what it answered. A write that fails (an exception, a 5xx) stores nothing, and
/// its retry runs afresh. Without a key the write still runs in one transaction.
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>Set on an answer that is a stored one.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    public const int MaxKeyLength = 255;

    /// <summary>The scope of keys sent with a service key rather than a player's token.</summary>
    public const string ServiceScope = "service";

    /// <summary>Maps <c>idempotency_keys</c>: one row per (scope, key), never updated after its transaction.</summary>
    public static ModelBuilder AddIdempotencyKeys(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IdempotencyRecord>(entity =>
        {
            entity.ToTable("idempotency_keys");
            entity.HasKey(r => new { r.Scope, r.Key });
            entity.Property(r => r.Scope).HasColumnName("scope").HasMaxLength(64);
            entity.Property(r => r.Key).HasColumnName("key").HasMaxLength(MaxKeyLength);
            entity.Property(r => r.RequestHash).HasColumnName("request_hash").HasMaxLength(64);
            entity.Property(r => r.StatusCode).HasColumnName("status_code");
            entity.Property(r => r.ContentType).HasColumnName("content_type").HasMaxLength(100);
            entity.Property(r => r.Body).HasColumnName("body");
            entity.Property(r => r.ETag).HasColumnName("etag").HasMaxLength(100);
            entity.Property(r => r.Location).HasColumnName("location").HasMaxLength(500);
            entity.Property(r => r.CreatedAt).HasColumnName("created_at");
        });
        return modelBuilder;
    }

    /// <summary>The request's key; a key that is blank, longer than <see cref="MaxKeyLength"/> or not visible ASCII is a field error.</summary>
    public static (string? Key, string? Error) ReadKey(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderName, out var values))
        {
            return (null, null);
        }

        var key = values.ToString();
        return key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')
            ? (null, $"{HeaderName} must be 1 to {MaxKeyLength} visible ASCII characters, for example a uuid; send a new one for each new request and the same one on its retries.")
            : (key, null);
    }

    /// <summary>
    /// The request's key and what makes it "the same request" (<paramref name="request"/>, what the
    /// caller sent, route values included), or the 400 a bad key answers; (null, null) without a key.
    /// </summary>
    public static (IdempotentRequest? Request, ValidationProblem? Error) Identify(HttpContext http, string scope, object request)
    {
        var (key, keyError) = ReadKey(http.Request);
        return keyError is not null
            ? (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [HeaderName] = [keyError] }))
            : (key is null ? null : new IdempotentRequest(scope, key, Hash(http.Request, request)), null);
    }

    /// <summary>
    /// Claims a batch of keys in the caller's transaction with one round trip: each key's row is
    /// inserted, in (scope, key) order so that two batches cannot deadlock, or, when the key was
    /// taken, its stored answer is read, once the transaction holding it has ended. The answer of
    /// each request is null when its key is now claimed (store its answer with
    /// <see cref="StoreAnswersAsync"/> before committing), else the stored answer replayed, or 422
    /// when the key was first sent with another request.
    /// </summary>
    public static async Task<IResult?[]> ClaimKeysAsync(DbContext db, IReadOnlyList<IdempotentRequest> requests, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        await using var batch = db.Database.CreateBatch();
        return await batch.ReadAsync(ClaimKeys(batch, requests, now), cancellationToken);
    }

    private static BatchResult<IResult?[]> ClaimKeys(DbBatch batch, IReadOnlyList<IdempotentRequest> requests, DateTimeOffset now)
    {
        var scopes = requests.Select(r => r.Scope).ToArray();
        var keys = requests.Select(r => r.Key).ToArray();
        var hashes = requests.Select(r => r.Hash).ToArray();
        batch.Add("""
            INSERT INTO idempotency_keys (scope, key, request_hash, status_code, body, created_at)
            SELECT k.scope, k.key, k.hash, 0, $4, $5
            FROM unnest($1::text[], $2::text[], $3::text[]) AS k(scope, key, hash)
            ORDER BY k.scope, k.key
            ON CONFLICT (scope, key) DO NOTHING
            RETURNING scope, key
            """, scopes, keys, hashes, Array.Empty<byte>(), now);
        // A statement of its own, so its snapshot sees the rows that the insert waited for.
        var readStored = ReadAnswers(batch, requests);
        return async (reader, cancellationToken) =>
        {
            var claimed = (await reader.ReadRowsAsync(r => new ClaimedKey(r.GetString(0), r.GetString(1)), cancellationToken)).ToHashSet();
            var stored = await readStored(reader, cancellationToken);
            return [.. requests.Select((r, i) => claimed.Contains(new ClaimedKey(r.Scope, r.Key)) ? null
                : stored[i] ?? throw new InvalidOperationException($"The {HeaderName} '{r.Key}' is taken but its answer was not found."))];
        };
    }

    /// <summary>
    /// Adds to a batch the statement that reads the answers stored under keys, without claiming
    /// them: each request's answer is the stored one replayed, 422 when the key was first sent with
    /// another request, or null when no answer is stored (nor committed: a key held by a transaction
    /// in flight reads as free, and <see cref="InsertAnswers"/> then finds it taken).
    /// </summary>
    public static BatchResult<IResult?[]> ReadAnswers(DbBatch batch, IReadOnlyList<IdempotentRequest> requests)
    {
        if (requests.Count == 0)
        {
            return (_, _) => Task.FromResult(Array.Empty<IResult?>());
        }

        // Every committed row has its answer: status 0 is a claim of this transaction's own (ClaimKeys), never committed so.
        batch.Add($"""
            SELECT {StoredColumns} FROM idempotency_keys AS i
            JOIN unnest($1::text[], $2::text[]) AS k(scope, key) ON i.scope = k.scope AND i.key = k.key
            WHERE i.status_code <> 0
            """, requests.Select(r => r.Scope).ToArray(), requests.Select(r => r.Key).ToArray());
        return async (reader, cancellationToken) =>
        {
            var stored = (await reader.ReadRowsAsync(ReadStored, cancellationToken)).ToDictionary(r => new ClaimedKey(r.Scope, r.Key));
            return [.. requests.Select(r => stored.TryGetValue(new ClaimedKey(r.Scope, r.Key), out var answer) ? Replay(answer, r) : null)];
        };
    }

    /// <summary>
    /// Adds to a batch the statement that stores requests' answers under their keys, in (scope,
    /// key) order, for keys that <see cref="ReadAnswers"/> found free. What it gives reads whether
    /// every key was stored: false when one was taken meanwhile (by a transaction that committed
    /// since), and then the caller's transaction must roll back and run again, to replay that key's answer.
    /// </summary>
    public static BatchResult<bool> InsertAnswers(DbBatch batch, IReadOnlyList<(IdempotentRequest Request, IdempotencyRecord Answer)> answers, DateTimeOffset now)
    {
        if (answers.Count == 0)
        {
            return (_, _) => Task.FromResult(true);
        }

        batch.Add("""
            INSERT INTO idempotency_keys (scope, key, status_code, content_type, body, etag, location, request_hash, created_at)
            SELECT a.scope, a.key, a.status, a.content_type, a.body, a.etag, a.location, a.hash, $9
            FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[])
                AS a(scope, key, status, content_type, body, etag, location, hash)
            ORDER BY a.scope, a.key
            ON CONFLICT (scope, key) DO NOTHING
            RETURNING 1
            """,
            [.. AnswerColumns(answers), answers.Select(a => a.Request.Hash).ToArray(), now]);
        return async (reader, cancellationToken) => (await reader.ReadRowsAsync(_ => 1, cancellationToken)).Count == answers.Count;
    }

    /// <summary>Stores the answers of keys claimed by <see cref="ClaimKeysAsync"/>, with one statement, in the same transaction.</summary>
    public static async Task StoreAnswersAsync(DbContext db, IReadOnlyList<(IdempotentRequest Request, IdempotencyRecord Answer)> answers, CancellationToken cancellationToken)
    {
        if (answers.Count == 0)
        {
            return;
        }

        await using var batch = db.Database.CreateBatch();
        batch.Add("""
            UPDATE idempotency_keys AS i
            SET status_code = a.status, content_type = a.content_type, body = a.body, etag = a.etag, location = a.location
            FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::bytea[], $6::text[], $7::text[])
                AS a(scope, key, status, content_type, body, etag, location)
            WHERE i.scope = a.scope AND i.key = a.key
            """, AnswerColumns(answers));
        await batch.ExecuteAsync(cancellationToken);
    }

    // The parameters $1 to $7 of a statement that writes answers: scope, key, status, content type, body, ETag, Location.
    private static object?[] AnswerColumns(IReadOnlyList<(IdempotentRequest Request, IdempotencyRecord Answer)> answers) =>
    [
        answers.Select(a => a.Request.Scope).ToArray(),
        answers.Select(a => a.Request.Key).ToArray(),
        answers.Select(a => a.Answer.StatusCode).ToArray(),
        answers.Select(a => a.Answer.ContentType).ToArray(),
        answers.Select(a => a.Answer.Body).ToArray(),
        answers.Select(a => a.Answer.ETag).ToArray(),
        answers.Select(a => a.Answer.Location).ToArray(),
    ];

    private const string StoredColumns = "i.scope, i.key, i.request_hash, i.status_code, i.content_type, i.body, i.etag, i.location, i.created_at";

    private static IdempotencyRecord ReadStored(DbDataReader row) => new()
    {
        Scope = row.GetString(0),
        Key = row.GetString(1),
        RequestHash = row.GetString(2),
        StatusCode = row.GetInt32(3),
        ContentType = row.IsDBNull(4) ? null : row.GetString(4),
        Body = (byte[])row.GetValue(5),
        ETag = row.IsDBNull(6) ? null : row.GetString(6),
        Location = row.IsDBNull(7) ? null : row.GetString(7),
        CreatedAt = row.GetFieldValue<DateTimeOffset>(8),
    };

    /// <summary>Runs <paramref name="result"/> into the record to store under its key, and gives the answer to send now: the same, not marked replayed.</summary>
    public static async Task<(IdempotencyRecord Record, IResult Answer)> KeepAsync(IResult result, HttpContext http)
    {
        var record = await CaptureAsync(result, http);
        return (record, new StoredAnswer(record, replayed: false));
    }

    private static IResult Replay(IdempotencyRecord stored, IdempotentRequest request) =>
        stored.RequestHash == request.Hash ? new StoredAnswer(stored, replayed: true) : KeyReused(request.Key);

    private sealed record ClaimedKey(string Scope, string Key);

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction of <paramref name="db"/> (retried as a whole by
    /// EF's execution strategy on a transient failure) that commits only when it answers 2xx or 3xx,
    /// and, with a key, stores or replays its answer; a refusal (4xx) is stored too, with whatever the
    /// write did rolled back. <paramref name="request"/> is what the caller sent (route values
    /// included); it is hashed, so a retry must send the same.
    /// </summary>
    public static async Task<IResult> RunAsync(
        DbContext db, HttpContext http, string scope, object request, Func<CancellationToken, Task<IResult>> write, TimeProvider time, CancellationToken cancellationToken)
    {
        var (identified, keyError) = Identify(http, scope, request);
        if (keyError is not null)
        {
            return keyError;
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (identified is null)
            {
                var unkeyed = await write(ct);
                if (IsSuccess(unkeyed))
                {
                    await transaction.CommitAsync(ct);
                }

                return unkeyed;
            }

            // Waits for a transaction holding the same key; then the row is there and is answered.
            if ((await ClaimKeysAsync(db, [identified], time.GetUtcNow(), ct))[0] is { } replayed)
            {
                return replayed;
            }

            await transaction.CreateSavepointAsync(WriteSavepoint, ct);
            var result = await write(ct);
            if (StatusOf(result) >= 500)
            {
                return result; // nothing kept: a retry runs again
            }

            if (!IsSuccess(result))
            {
                await transaction.RollbackToSavepointAsync(WriteSavepoint, ct);
            }

            var (record, answer) = await KeepAsync(result, http);
            await StoreAnswersAsync(db, [(identified, record)], ct);
            await transaction.CommitAsync(ct);
            return answer;
        }, cancellationToken);
    }

    private const string WriteSavepoint = "idempotent_write";

    private static bool IsSuccess(IResult result) => StatusOf(result) is >= 200 and < 400;

    /// <summary>The status a result answers with (a <c>Results&lt;…&gt;</c> union is looked into); 200 when it does not say.</summary>
    public static int StatusOf(IResult result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
    }

    private static UnprocessableProblem KeyReused(string key) => new(
        $"The {HeaderName} '{key}' was first sent with a different request. A key stands for one request: send a new key for a new request.", "Idempotency key reused");

    private static string Hash(HttpRequest request, object body)
    {
        var text = $"{request.Method} {request.Path}\n{JsonSerializer.Serialize(body, body.GetType(), ApiDefaults.JsonOptions)}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    // Runs the result against a buffer, to keep exactly what the caller is sent (problem details and all).
    private static async Task<IdempotencyRecord> CaptureAsync(IResult result, HttpContext http)
    {
        var buffer = new DefaultHttpContext { RequestServices = http.RequestServices };
        buffer.Request.Path = http.Request.Path;
        buffer.Request.Method = http.Request.Method;
        using var body = new MemoryStream();
        buffer.Response.Body = body;
        await result.ExecuteAsync(buffer);
        var response = buffer.Response;
        return StoredAnswer.Record(response.StatusCode, response.ContentType, body.ToArray(), response.Headers.ETag.ToString(), response.Headers.Location.ToString());
    }

    /// <summary>An answer as it was stored: status, content type, body, ETag and Location.</summary>
    private sealed class StoredAnswer(IdempotencyRecord record, bool replayed) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => record.StatusCode;

        public static IdempotencyRecord Record(int status, string? contentType, byte[] body, string etag, string location) => new()
        {
            StatusCode = status,
            ContentType = contentType,
            Body = body,
            ETag = etag.Length == 0 ? null : etag,
            Location = location.Length == 0 ? null : location,
        };

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = record.StatusCode;
            if (record.ETag is not null)
            {
                response.Headers.ETag = record.ETag;
            }

            if (record.Location is not null)
            {
                response.Headers.Location = record.Location;
            }

            if (replayed)
            {
                response.Headers[ReplayedHeaderName] = "true";
            }

            if (record.Body.Length > 0)
            {
                response.ContentType = record.ContentType;
                await response.Body.WriteAsync(record.Body, httpContext.RequestAborted);
            }
        }
    }
}
