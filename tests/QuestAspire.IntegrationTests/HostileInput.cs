using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace QuestAspire.IntegrationTests;

/// <summary>One hostile string of the corpus: what it is, and its text (a lone surrogate included).</summary>
public sealed record HostileString(string Label, string Value)
{
    /// <summary>True when the text is not valid UTF-16 (a lone surrogate): no service may store it.</summary>
    public bool IsInvalidText
    {
        get
        {
            try
            {
                _ = StrictUtf8.GetByteCount(Value);
                return false;
            }
            catch (EncoderFallbackException)
            {
                return true;
            }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override string ToString() => Label;
}

/// <summary>
/// The hostile-input corpus and the encodings that carry it exactly as written: JSON text built by
/// hand (so a lone surrogate goes out as the JSON escape <c>"\ud800"</c>, which no serializer
/// writes), and percent-encoding of the raw bytes for forms, paths and queries.
/// </summary>
public static class HostileInput
{
    public static readonly HostileString[] Strings =
    [
        new("NUL", "a\0b"),
        new("CR/LF", "a\r\nb"),
        new("tab", "a\tb"),
        new("RTL override", "a\u202Eb"),
        new("zero-width space", "a\u200Bb"),
        new("10k characters", new string('x', 10_000)),
        new("emoji", "🎉 quest 😀"),
        new("combining marks", "e\u0301\u0308 cafe\u0301"),
        new("SQL fragment", "'; DROP TABLE quests; --"),
        new("HTML/script fragment", "<script>alert('x')</script><b onmouseover=\"alert(1)\">&amp;</b>"),
        new("lone surrogate", "a\uD800b"),
    ];

    /// <summary>Numbers as raw JSON tokens (and query values): out of range, overflowing, a string, a fraction.</summary>
    public static readonly string[] Numbers = ["-1", "0", "2147483647", "2147483648", "1e309", "\"7\"", "1.5"];

    /// <summary>A JSON string literal of <paramref name="value"/>: quotes, backslashes, control characters and lone surrogates escaped, everything else as raw UTF-8.</summary>
    public static string JsonLiteral(string value)
    {
        var json = new StringBuilder("\"");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                json.Append(c).Append(value[++i]);
            }
            else if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }

        return json.Append('"').ToString();
    }

    /// <summary>A JSON object from field names and raw JSON values.</summary>
    public static string JsonObject(IEnumerable<KeyValuePair<string, string>> fields) =>
        "{" + string.Join(",", fields.Select(f => $"{JsonLiteral(f.Key)}:{f.Value}")) + "}";

    /// <summary>
    /// Percent-encodes the UTF-8 bytes of <paramref name="value"/>; a lone surrogate becomes the
    /// three bytes UTF-8 would give its code point (<c>%ED%A0%80</c>), which no decoder accepts.
    /// </summary>
    public static string PercentEncode(string value)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value.Substring(i++, 2)));
            }
            else if (char.IsSurrogate(c))
            {
                bytes.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        var encoded = new StringBuilder();
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    /// <summary>The form a name is stored in, by the rule every service states: NFKC, trimmed.</summary>
    public static string CanonicalName(string name) => name.Normalize(NormalizationForm.FormKC).Trim();
}

/// <summary>An answer as the matrix sees it.</summary>
public sealed record HostileReply(string Request, HttpStatusCode Status, string? MediaType, string Body, TimeSpan? RetryAfter)
{
    public int Code => (int)Status;

    public bool IsSuccess => Code is >= 200 and < 300;

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"{Request} → {Code} {MediaType}: {(Body.Length > 400 ? Body[..400] + "…" : Body)}";
}

/// <summary>Sends the matrix's requests, counting them, and checks the rule every answer keeps.</summary>
public sealed class HostileClient(HttpClient http, string service)
{
    public const string ProblemJson = "application/problem+json";

    private static int _requests;

    /// <summary>Requests sent by every client of the matrix so far.</summary>
    public static int Requests => _requests;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public Task<HostileReply> JsonAsync(HttpMethod method, string path, string? token, string json) =>
        SendAsync(method, path, token, () => new StringContent(json, new UTF8Encoding(false), "application/json"));

    /// <summary>
    /// A form post, declared UTF-8 (the form reader decodes percent-encoded bytes in the declared
    /// charset); with <paramref name="waitIfThrottled"/>, a 429 is sent again (a sign-in that must get through).
    /// </summary>
    public Task<HostileReply> FormAsync(string path, string formBody, bool waitIfThrottled = false) =>
        SendAsync(HttpMethod.Post, path, null, () => new StringContent(formBody, new UTF8Encoding(false), "application/x-www-form-urlencoded"), waitIfThrottled: waitIfThrottled);

    public Task<HostileReply> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, token, null);

    public Task<HostileReply> PostAsync(string path, string? token = null) => SendAsync(HttpMethod.Post, path, token, null);

    public Task<HostileReply> SendBareAsync(HttpMethod method, string path) => SendAsync(method, path, null, null);

    public Task<HostileReply> WithHeaderAsync(HttpMethod method, string path, string name, string value) =>
        SendAsync(method, path, null, null, (name, value));

    /// <summary>
    /// Sends once; a 503 with <c>Retry-After</c> from password hashing (Auth sheds sign-ins and
    /// sign-ups when every hashing slot is busy: an overload answer, not an input one) is sent
    /// again, through the shared polling helper. Then checks the rule of every answer: a 2xx, or
    /// a 4xx with problem details.
    /// </summary>
    private async Task<HostileReply> SendAsync(
        HttpMethod method, string path, string? token, Func<HttpContent>? content, (string Name, string Value)? header = null, bool waitIfThrottled = false)
    {
        var reply = await QuestApiClient.EventuallyAsync(
            () => SendOnceAsync(method, path, token, content, header),
            r => !(r.Status == HttpStatusCode.ServiceUnavailable && r.RetryAfter is not null) && !(waitIfThrottled && r.Status == HttpStatusCode.TooManyRequests),
            $"{method} {service}{Shorten(path)} neither shed nor throttled",
            TimeSpan.FromSeconds(90));
        Assert.True(reply.Code is (>= 200 and < 300) or (>= 400 and < 500), $"neither a 2xx nor a 4xx: {reply}");
        // Kestrel itself refuses a request target whose path decodes to a NUL, before any
        // middleware runs: a bare 400 that no service code can turn into problem details.
        if (!reply.IsSuccess && !(reply.Status == HttpStatusCode.BadRequest && reply.Body.Length == 0 && IsNulInPath(path)))
        {
            Assert.True(reply.MediaType == ProblemJson, $"a 4xx without problem details: {reply}");
        }

        return reply;
    }

    private static bool IsNulInPath(string target)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return (query < 0 ? target : target[..query]).Contains("%00", StringComparison.Ordinal);
    }

    private async Task<HostileReply> SendOnceAsync(HttpMethod method, string path, string? token, Func<HttpContent>? content, (string Name, string Value)? header)
    {
        Interlocked.Increment(ref _requests);
        using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        var what = $"{method} {service}{Shorten(path)}";
        using var response = await http.SendAsync(request, Token).WaitAsync(QuestApiClient.RequestTimeout, Token);
        var body = await response.Content.ReadAsStringAsync(Token).WaitAsync(QuestApiClient.RequestTimeout, Token);
        return new HostileReply(what, response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.RetryAfter?.Delta);
    }

    private static string Shorten(string path) => path.Length > 120 ? $"{path[..120]}…({path.Length} chars)" : path;
}
