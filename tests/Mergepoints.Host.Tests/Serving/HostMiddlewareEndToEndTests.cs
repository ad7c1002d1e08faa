using System.Net;
using Mergepoints.Host.Tests.Infrastructure;

namespace Mergepoints.Host.Tests.Serving;

public sealed class HostMiddlewareEndToEndTests(HelloSite hello) : IClassFixture<HelloSite>
{
    private readonly RunningSite _site = hello.Site;

    [Fact]
    public async Task Server_timing_tells_the_time_of_each_middleware_and_of_the_app()
    {
        using var response = await _site.Client.GetAsync("/ext/hello", TestContext.Current.CancellationToken);

        var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"^forwarded;dur=[\d.]+, log;dur=[\d.]+, errors;dur=[\d.]+, user;dur=[\d.]+, db;dur=[\d.]+, app;dur=[\d.]+$", timing);
    }

    [Fact]
    public async Task A_failing_app_gives_a_plain_500_page_with_a_request_id_and_no_stack_trace()
    {
        using var response = await _site.Client.GetAsync("/ext/throw", TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Matches("request id <code>[^<]+</code>", page);
        Assert.DoesNotContain("InvalidOperationException", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/site", "site=/site")]
    [InlineData("/site/", "site=/site")]
    [InlineData("//evil.example", "site=")]
    [InlineData("/a/../b", "site=")]
    [InlineData("https://evil.example/x", "site=")]
    public async Task A_forwarded_prefix_from_the_proxy_becomes_the_site_base_only_when_it_is_a_clean_path(string prefix, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ext/me");
        request.Headers.Add("X-Forwarded-Prefix", prefix);

        using var response = await _site.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.EndsWith(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
