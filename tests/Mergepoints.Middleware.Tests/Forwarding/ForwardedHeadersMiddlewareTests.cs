using Mergepoints.Middleware.Forwarding;
using Mergepoints.Middleware.Tests.Infrastructure;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Middleware.Tests.Forwarding;

public sealed class ForwardedHeadersMiddlewareTests
{
    private static readonly TrustedProxyOptions Loopback = new() { KnownProxies = { "127.0.0.1", "::1" } };

    [Fact]
    public async Task From_a_known_proxy_the_headers_become_the_client_the_scheme_the_host_and_the_site_base()
    {
        var env = FromProxy("127.0.0.1", ("X-Forwarded-For", "203.0.113.7, 127.0.0.1"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "example.org"), ("X-Forwarded-Prefix", "/site/"));

        var seen = await RunAsync(env);

        Assert.Equal("203.0.113.7", seen[OwinKeys.RemoteIpAddress]);
        Assert.Equal("https", seen[OwinKeys.RequestScheme]);
        Assert.Equal(["example.org"], ((IDictionary<string, string[]>)seen[OwinKeys.RequestHeaders])["Host"]);
        Assert.Equal("/site", seen[OwinKeys.RequestPathBase]);
        Assert.Equal("/site", seen[OwinKeys.SiteBase]);
        Assert.False(((IDictionary<string, string[]>)seen[OwinKeys.RequestHeaders]).ContainsKey("X-Forwarded-For"));
    }

    [Fact]
    public async Task A_proxy_seen_through_a_dual_stack_socket_is_still_known()
    {
        var seen = await RunAsync(FromProxy("::ffff:127.0.0.1", ("X-Forwarded-For", "203.0.113.7")));

        Assert.Equal("203.0.113.7", seen[OwinKeys.RemoteIpAddress]);
    }

    [Fact]
    public async Task From_anyone_else_the_headers_are_not_believed()
    {
        var env = FromProxy("198.51.100.9", ("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Prefix", "/site"));

        var seen = await RunAsync(env);

        Assert.Equal("198.51.100.9", seen[OwinKeys.RemoteIpAddress]);
        Assert.Equal("http", seen[OwinKeys.RequestScheme]);
        Assert.Equal("", seen[OwinKeys.SiteBase]);
    }

    [Fact]
    public async Task A_known_proxy_may_offer_to_send_files_itself()
    {
        var seen = await RunAsync(FromProxy("127.0.0.1", ("X-Sendfile-Type", "X-Accel-Redirect")));

        Assert.Equal(["X-Accel-Redirect"], ((IDictionary<string, string[]>)seen[OwinKeys.RequestHeaders])["X-Sendfile-Type"]);
    }

    [Fact]
    public async Task Anyone_else_who_offers_to_send_files_is_not_heard_and_gets_the_bytes_from_the_host()
    {
        // Kept, the header would make the host answer with an empty body and a redirect only nginx follows.
        var seen = await RunAsync(FromProxy("198.51.100.9", ("x-sendfile-type", "X-Accel-Redirect")));

        Assert.DoesNotContain(((IDictionary<string, string[]>)seen[OwinKeys.RequestHeaders]).Keys, k => k.Equals("X-Sendfile-Type", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/a/../b")]
    [InlineData("https://evil.example/x")]
    [InlineData("/a\\b")]
    [InlineData("site")]
    public async Task A_prefix_that_is_not_a_clean_path_is_ignored(string prefix)
    {
        var seen = await RunAsync(FromProxy("127.0.0.1", ("X-Forwarded-Prefix", prefix)));

        Assert.Equal("", seen[OwinKeys.RequestPathBase]);
        Assert.Equal("", seen[OwinKeys.SiteBase]);
    }

    private static Dictionary<string, object> FromProxy(string remote, params (string Name, string Value)[] headers)
    {
        var env = OwinEnvironments.Get();
        env[OwinKeys.RemoteIpAddress] = remote;
        foreach (var (name, value) in headers)
        {
            ((IDictionary<string, string[]>)env[OwinKeys.RequestHeaders])[name] = [value];
        }
        return env;
    }

    private static async Task<Dictionary<string, object>> RunAsync(Dictionary<string, object> env)
    {
        Dictionary<string, object>? seen = null;
        await ForwardedHeadersMiddleware.Create(Loopback)(inner =>
        {
            seen = new Dictionary<string, object>(inner);
            return Task.CompletedTask;
        })(env);
        return seen!;
    }
}
