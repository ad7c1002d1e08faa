namespace Mergepoints.Middleware.Forwarding;

/// <summary>Which peers may tell the host who the client is (section <c>ForwardedHeaders</c> of appsettings.json).</summary>
public sealed class TrustedProxyOptions
{
    /// <summary>The addresses of the proxies in front of the host; appsettings.json names nginx on loopback.</summary>
    public IList<string> KnownProxies { get; } = [];
}
