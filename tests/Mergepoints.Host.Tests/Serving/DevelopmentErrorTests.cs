using System.Net;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;
using Microsoft.Data.Sqlite;

namespace Mergepoints.Host.Tests.Serving;

/// <summary>
/// ASPNETCORE_ENVIRONMENT=Development on a public machine must not hand visitors stack traces: the ASP.NET Core
/// apps the host mounts (MonsterMash, the account pages) answer a failure with one line and the request id.
/// </summary>
public sealed class DevelopmentErrorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_mash_page_in_Development_is_a_500_page_without_a_trace()
    {
        await using var host = await StartInDevelopmentAsync();
        // The songs table gone from under the running site: every list of songs fails.
        await ExecuteAsync("ALTER TABLE songs RENAME TO songs_gone");
        using var client = new HttpClient { BaseAddress = host.Url };

        using var response = await client.GetAsync("/songs", Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("The server failed to answer this request: try again in a moment. If you report it, quote request id", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
        Assert.DoesNotContain("songs_gone", page, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_login_in_Development_is_one_line_without_a_trace()
    {
        await using var host = await StartInDevelopmentAsync();
        using (var registering = new Browser(host.Url))
        {
            (await registering.RegisterAsync("ann", "a long enough password")).Dispose();
        }
        await ExecuteAsync("ALTER TABLE users RENAME TO users_gone");
        // Signed out, so that only the login itself asks for the user.
        using var browser = new Browser(host.Url);

        using var response = await browser.LogInAsync("ann", "a long enough password");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.StartsWith("The server failed to answer this request: try again in a moment. If you report it, quote request id", text, StringComparison.Ordinal);
        Assert.Single(text.TrimEnd('\n').Split('\n'));
    }

    public void Dispose() => _directory.Dispose();

    private string Data => Path.Combine(_directory.Path, "data");

    private Task<HostProcess> StartInDevelopmentAsync() => HostProcess.StartAsync(
        _directory.Write("site.json", """{"mounts": [{"path": "/", "app": "mash"}]}"""),
        Data,
        new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["DOTNET_ENVIRONMENT"] = "Development" });

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "mergepoints.db")};Pooling=False");
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
