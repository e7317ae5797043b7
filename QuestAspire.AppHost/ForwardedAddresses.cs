namespace QuestAspire.AppHost;

/// <summary>
/// Who may tell Auth (and the Web) the real client address. Run here, every service is a local
/// process: the Web connects to Auth from its own loopback address, 127.0.0.2, which is the only
/// one Auth trusts, so any other local caller's <c>X-Forwarded-For</c> is ignored. In a cluster,
/// Auth trusts the pod network (the Web's pods) and the Web trusts it too (the Ingress
/// controller's pods); a deployment narrows <see cref="ClusterNetwork"/> in its overlay.
/// </summary>
public static class ForwardedAddresses
{
    public const string WebSourceAddress = "127.0.0.2";

    /// <summary>The usual private range of pod addresses; set the cluster's own pod CIDR in production.</summary>
    public const string ClusterNetwork = "10.0.0.0/8";

    private const string TrustedProxies = "ForwardedHeaders__TrustedProxies";
    private const string SourceAddress = "ForwardedHeaders__SourceAddress";

    /// <summary>
    /// Auth believes the forwarded client address from the Web only. Its endpoint is not behind
    /// the orchestrator's proxy, which would make every caller look like 127.0.0.1: Auth sees each
    /// caller's own address (it has one replica, so the proxy balanced nothing).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTrustedWebProxy(this IResourceBuilder<ProjectResource> auth) =>
        auth.WithEndpoint("http", endpoint => endpoint.IsProxied = false)
            .WithEnvironment(context => context.EnvironmentVariables[TrustedProxies] =
                context.ExecutionContext.IsPublishMode ? ClusterNetwork : WebSourceAddress);

    /// <summary>The Web forwards the visitor's address to Auth, connecting from its own address; in a cluster it believes the Ingress.</summary>
    public static IResourceBuilder<ProjectResource> WithForwardedVisitorAddress(this IResourceBuilder<ProjectResource> web) =>
        web.WithEnvironment(context =>
        {
            if (context.ExecutionContext.IsPublishMode)
            {
                context.EnvironmentVariables[TrustedProxies] = ClusterNetwork;
            }
            else
            {
                context.EnvironmentVariables[SourceAddress] = WebSourceAddress;
            }
        });
}
