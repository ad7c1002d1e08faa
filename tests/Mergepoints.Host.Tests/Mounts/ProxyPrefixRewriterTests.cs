using Mergepoints.Host.Mounts;

namespace Mergepoints.Host.Tests.Mounts;

public sealed class ProxyPrefixRewriterTests
{
    private static readonly Uri Backend = new("http://127.0.0.1:9000");
    private static readonly Uri BackendWithBase = new("http://127.0.0.1:9000/app");

    [Theory]
    [InlineData("/login", "/legacy/login")]
    [InlineData("/", "/legacy/")]
    [InlineData("/login?next=%2Fhome#top", "/legacy/login?next=%2Fhome#top")]
    [InlineData("http://127.0.0.1:9000/login?x=1", "/legacy/login?x=1")]
    [InlineData("HTTP://127.0.0.1:9000/login", "/legacy/login")]
    [InlineData("https://example.org/login", null)]
    [InlineData("http://127.0.0.1:9001/login", null)]
    [InlineData("//example.org/login", null)]
    [InlineData("login", null)]
    public void A_redirect_to_the_backends_root_comes_back_under_the_mount(string location, string? expected) =>
        Assert.Equal(expected, ProxyPrefixRewriter.RewriteLocation(location, Backend, "/legacy"));

    [Theory]
    [InlineData("/app/login", "/legacy/login")]
    [InlineData("/app", "/legacy/")]
    [InlineData("/application/login", null)]
    [InlineData("/other", null)]
    public void A_backend_with_a_base_path_maps_only_paths_inside_it(string location, string? expected) =>
        Assert.Equal(expected, ProxyPrefixRewriter.RewriteLocation(location, BackendWithBase, "/legacy"));

    [Fact]
    public void The_whole_path_base_is_the_prefix_when_the_site_itself_is_under_one() =>
        Assert.Equal("/site/legacy/login", ProxyPrefixRewriter.RewriteLocation("/login", Backend, "/site/legacy"));

    [Theory]
    [InlineData("sid=1; path=/; httponly", "sid=1; path=/legacy; httponly")]
    [InlineData("pref=x; path=/settings", "pref=x; path=/legacy/settings")]
    [InlineData("pref=x; path=/settings/; secure; samesite=lax", "pref=x; path=/legacy/settings; secure; samesite=lax")]
    [InlineData("sid=1", "sid=1")]
    [InlineData("sid=1; path=/elsewhere/../x", "sid=1; path=/legacy/elsewhere/../x")]
    [InlineData("sid=1; domain=example.org; path=/", "sid=1; path=/legacy")]
    [InlineData("not a cookie", null)]
    public void A_cookie_on_the_backends_root_is_scoped_to_the_mount(string setCookie, string? expected) =>
        Assert.Equal(expected, ProxyPrefixRewriter.RewriteSetCookie(setCookie, Backend, "/legacy"));

    [Theory]
    [InlineData("sid=1; path=/", "sid=1; path=/legacy")]
    [InlineData("sid=1; path=/other", "sid=1; path=/legacy")]
    public void A_cookie_outside_the_backends_base_path_is_kept_to_the_mount(string setCookie, string expected) =>
        Assert.Equal(expected, ProxyPrefixRewriter.RewriteSetCookie(setCookie, BackendWithBase, "/legacy"));

    [Theory]
    [InlineData(new[] { "mergepoints_session=abc; theme=dark" }, "theme=dark")]
    [InlineData(new[] { "theme=dark", "mergepoints_session=abc" }, "theme=dark")]
    [InlineData(new[] { "mergepoints_session=abc" }, null)]
    public void The_hosts_session_never_reaches_a_proxied_service(string[] headers, string? expected) =>
        Assert.Equal(expected, ProxyPrefixRewriter.WithoutHostCookies(headers, new HashSet<string> { "mergepoints_session" }));
}
