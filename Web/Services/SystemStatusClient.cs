using Polly;

namespace QuestAspire.Web.Services;

/// <summary>Asks each backend service whether it is ready (its <c>/health</c> endpoint).</summary>
public sealed class SystemStatusClient(HttpClient http)
{
    public static readonly IReadOnlyList<string> Services = [ResourceNames.AuthApi, ResourceNames.CatalogApi, ResourceNames.ProcessingWorker];

    public async Task<IReadOnlyList<ServiceStatus>> GetStatusAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var checks = Services.Select(async service =>
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                using var response = await http.GetAsync($"http://{service}{ServiceDefaults.Extensions.HealthPath}", cts.Token);
                return new ServiceStatus(service, response.IsSuccessStatusCode ? "Healthy" : $"Unhealthy ({(int)response.StatusCode})");
            }
            catch (Exception e) when (e is HttpRequestException or ExecutionRejectedException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return new ServiceStatus(service, "Unreachable");
            }
        });
        return await Task.WhenAll(checks);
    }
}

public sealed record ServiceStatus(string Service, string Status)
{
    public bool IsHealthy => Status == "Healthy";
}
