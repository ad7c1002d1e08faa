using System.Net;
using Mergepoints.Host.Tests.Infrastructure;

namespace Mergepoints.Host.Tests.Serving;

public sealed class AssemblyMountEndToEndTests(HelloSite hello) : IClassFixture<HelloSite>
{
    private readonly RunningSite _site = hello.Site;

    [Theory]
    [InlineData("/ext/hello", "mount=/ext base=/ext path=/hello context=mount /ext")]
    [InlineData("/ext/", "mount=/ext base=/ext path=/ context=mount /ext")]
    [InlineData("/ext", "mount=/ext base=/ext path= context=mount /ext")]
    [InlineData("/EXT/hello", "mount=/ext base=/EXT path=/hello context=mount /ext")]
    public async Task The_app_sees_its_prefix_in_the_path_base_as_the_client_spelled_it(string url, string expected)
    {
        var text = await _site.Client.GetStringAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("/extra")]
    [InlineData("/ext%2Fhello")]
    [InlineData("/")]
    public async Task Paths_that_only_look_like_the_prefix_are_not_found(string url)
    {
        using var response = await _site.Client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not found: no app is mounted at this path.\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_response_streams_through_chunk_by_chunk()
    {
        await ArrivalLog.AssertStreamedAsync(_site.Client, "/ext/stream", ArrivalLog.FiveChunks);
    }

    [Fact]
    public async Task Server_sent_events_pass_the_dispatcher_as_they_are_sent()
    {
        await ArrivalLog.AssertStreamedAsync(_site.Client, "/ext/events", ArrivalLog.FiveEvents);
    }

    [Fact]
    public async Task An_app_that_throws_costs_one_500_and_the_host_serves_on()
    {
        using var failed = await _site.Client.GetAsync("/ext/throw", TestContext.Current.CancellationToken);
        var next = await _site.Client.GetStringAsync("/ext/hello", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.DoesNotContain("the plugin failed on purpose", await failed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.StartsWith("mount=/ext", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_answers_its_own_health_check()
    {
        var text = await _site.Client.GetStringAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal("Healthy", text);
    }
}
