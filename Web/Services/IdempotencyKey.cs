namespace QuestAspire.Web.Services;

/// <summary>
/// The <c>Idempotency-Key</c> of one user action. The same request sent again while its last
/// attempt got no answer (the service unreachable, a timeout, a 5xx) keeps its key, so Auth
/// answers it once more instead of applying it twice; a different request, or the same one after
/// it was answered, is a new action with a new key.
/// </summary>
public sealed class IdempotencyKey
{
    private object? _request;
    private Guid _key;

    /// <summary>The key for <paramref name="request"/>, a record compared by value.</summary>
    public Guid For(object request)
    {
        if (_request is null || !_request.Equals(request))
        {
            _request = request;
            _key = Guid.NewGuid();
        }

        return _key;
    }

    /// <summary>How the attempt ended: a success or a refusal ends the action; anything else leaves it open to a retry.</summary>
    public void Ended(ApiError? error)
    {
        if (error is null || error.StatusCode is >= 400 and < 500)
        {
            _request = null;
        }
    }
}
