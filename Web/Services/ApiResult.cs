namespace QuestAspire.Web.Services;

/// <summary>
/// What went wrong with a call, in words for the user: the API's own <c>detail</c> where it
/// gives one, field errors keyed by the API's (snake_case) field names.
/// </summary>
public sealed record ApiError(string Message, int? StatusCode = null, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public IReadOnlyDictionary<string, string[]> FieldErrors => Fields ?? new Dictionary<string, string[]>();

    /// <summary>The API refused the token: the session is over.</summary>
    public bool IsUnauthorized => StatusCode == StatusCodes.Status401Unauthorized;

    public bool IsConflict => StatusCode == StatusCodes.Status409Conflict;
}

/// <summary>A value, or the error that stood in its way. API clients return these and never throw for a failed call.</summary>
public sealed class ApiResult<T>
{
    internal ApiResult(T? value, ApiError? error) => (Value, Error) = (value, error);

    public T? Value { get; }

    public ApiError? Error { get; }

    public bool IsSuccess => Error is null;
}

public static class ApiResult
{
    public static ApiResult<T> Success<T>(T value) => new(value, null);

    public static ApiResult<T> Failure<T>(ApiError error) => new(default, error);
}

/// <summary>The value of a call whose success has no body (204).</summary>
public sealed record NoContent
{
    public static readonly NoContent Instance = new();

    private NoContent()
    {
    }
}
