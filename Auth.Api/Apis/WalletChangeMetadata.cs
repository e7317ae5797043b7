using QuestAspire.Auth.Api.Contracts;

namespace QuestAspire.Auth.Api.Apis;

/// <summary>The OpenAPI answers of the endpoints that change a wallet (spend, adjust, refund): those of <c>WalletAnswers.Answer</c>, and 422 from the key.</summary>
internal static class WalletChangeMetadata
{
    /// <summary>
    /// 200 with the change, 400, 404, 409, 412 when the endpoint honours <c>If-Match</c>, and 422
    /// (an <c>Idempotency-Key</c> reused with another request), in that order as before.
    /// </summary>
    public static RouteHandlerBuilder ProducesWalletChange(this RouteHandlerBuilder endpoint, bool honoursIfMatch)
    {
        endpoint.Produces<WalletChangeResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        if (honoursIfMatch)
        {
            endpoint.ProducesProblem(StatusCodes.Status412PreconditionFailed);
        }

        return endpoint.ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }
}
