using System.Net;
using Mergepoints.Host.Cli;
using Mergepoints.Host.Configuration;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Serving;

public sealed class DiffMountTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_default_config_serves_the_diff_page_and_service_at_slash_diff()
    {
        await using var site = await RunningSite.StartAsync(_directory, await File.ReadAllTextAsync(ServeCommand.DefaultConfigFile, Cancel));

        var page = await site.Client.GetStringAsync("/diff", Cancel);
        using var diff = await site.Client.PostAsync("/diff", Form("<p>a</p>", "<p>a b</p>"), Cancel);

        Assert.Contains("action=\"/diff/page\"", page, StringComparison.Ordinal);
        Assert.Contains("/_mergepoints/userbox.js", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, diff.StatusCode);
        Assert.Contains("<ins>", await diff.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_body_limit_comes_from_the_HtmlDiff_section_of_the_settings()
    {
        await using var site = await RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/diff", "app": "diff"}]}""",
            new Dictionary<string, string?> { ["HtmlDiff:MaxBodyBytes"] = "100" });

        using var response = await site.Client.PostAsync("/diff", Form("<p>a</p>", new string('b', 100)), Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the request body is over the limit of 100 bytes\n", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task A_body_limit_that_is_not_positive_stops_the_host_with_one_line()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/diff", "app": "diff"}]}""",
            new Dictionary<string, string?> { ["HtmlDiff:MaxBodyBytes"] = "0" }));

        Assert.Contains("HtmlDiff:MaxBodyBytes must be between 1 and", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_limit_that_is_not_a_number_stops_the_host_with_one_line()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/diff", "app": "diff"}]}""",
            new Dictionary<string, string?> { ["HtmlDiff:MaxBodyBytes"] = "10MB" }));

        Assert.Contains("HtmlDiff:MaxBodyBytes", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private static FormUrlEncodedContent Form(string oldHtml, string newHtml) =>
        new([KeyValuePair.Create("old", oldHtml), KeyValuePair.Create("new", newHtml)]);
}
