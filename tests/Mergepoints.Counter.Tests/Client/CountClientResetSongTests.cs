using System.Globalization;
using System.Net;
using Mergepoints.Counter.Client;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.Tests.Http;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>
/// <see cref="CountClient.ResetSongAsync"/>: one DELETE to the server that owns the song, never sent again. The
/// counter takes it from an admin only; here the client's headers say it is one, as a trusted service's would.
/// </summary>
public sealed class CountClientResetSongTests : IAsyncLifetime
{
    private static readonly string[] Ids = [.. Enumerable.Range(1, 30).Select(n => n.ToString(CultureInfo.InvariantCulture))];

    private readonly TempDirectory _directory = new();
    private readonly List<CounterServer> _servers = [];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _servers.Add(await CounterServer.StartAsync(Path.Combine(_directory.Path, i.ToString(CultureInfo.InvariantCulture)), Durability.Memory));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task A_song_reset_clears_it_on_its_owner_and_nothing_else()
    {
        using var client = Client("service admin");
        foreach (var id in Ids)
        {
            await client.IncrementAsync(id, Cancellation);
        }

        await client.ResetSongAsync("7", Cancellation);

        var all = await client.GetAllAsync(Cancellation);
        Assert.Equal(Ids.Where(id => id != "7").Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, await client.GetAsync("7", Cancellation));
        Assert.Equal(Ids.Length - 1, _servers.Sum(server => server.Counts.All().Count));
    }

    [Fact]
    public async Task A_client_that_is_not_an_admin_hears_why()
    {
        using var client = Client("service");
        await client.IncrementAsync("7", Cancellation);

        var refused = await Assert.ThrowsAsync<CountClientException>(() => client.ResetSongAsync("7", Cancellation));

        Assert.Equal((HttpStatusCode.Forbidden, "Only an admin may reset a song's count."), (refused.StatusCode, refused.Reason));
        Assert.Equal(client.ServerFor("7"), refused.Server);
        Assert.Equal(1, await client.GetAsync("7", Cancellation));
    }

    [Fact]
    public async Task A_reset_that_gets_a_5xx_is_sent_once_and_its_outcome_is_unknown()
    {
        await using var failing = await CountingSite.StartAnsweringAsync(503, "Warming up.");
        using var client = new CountClient(new CountClientOptions { Servers = [failing.Url], GetRetries = 2, RetryBackoff = TimeSpan.Zero });

        var failure = await Assert.ThrowsAsync<CountClientException>(() => client.ResetSongAsync("7", Cancellation));

        Assert.Equal(1, failing.Requests);
        Assert.True(failure.OutcomeUnknown);
    }

    [Fact]
    public async Task A_bad_id_is_refused_before_anything_is_sent()
    {
        await using var server = await CountingSite.StartAnsweringAsync(200, """{"ok":true}""");
        using var client = new CountClient(new CountClientOptions { Servers = [server.Url] });

        await Assert.ThrowsAsync<ArgumentException>(() => client.ResetSongAsync("a/b", Cancellation));

        Assert.Equal(0, server.Requests);
    }

    private CountClient Client(string user) =>
        new(new CountClientOptions { Servers = [.. _servers.Select(server => server.Url)], Headers = HeaderUser.Headers(user) });
}
