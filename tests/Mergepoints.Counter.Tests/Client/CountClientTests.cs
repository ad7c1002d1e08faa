using System.Globalization;
using Mergepoints.Counter.Client;
using Mergepoints.Counter.Http;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.Tests.Http;
using Mergepoints.Owin.Dispatch;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>CountClient against three real counter servers on Kestrel.</summary>
public sealed class CountClientTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly CounterServer?[] _servers = new CounterServer?[3];
    private CountClient _client = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    // Ids that a plain-text get-all could not tell apart: ',' and '=' are its separators.
    private static readonly string[] Ids = ["1", "5", "42", "café", "a,b=c", "50%", "x y", .. Enumerable.Range(100, 30).Select(n => n.ToString(CultureInfo.InvariantCulture))];

    public async ValueTask InitializeAsync()
    {
        for (var i = 0; i < _servers.Length; i++)
        {
            _servers[i] = await CounterServer.StartAsync(Path.Combine(_directory.Path, i.ToString(CultureInfo.InvariantCulture)), Durability.Memory);
        }
        // An admin, as the resets need: the counters here know their callers by HeaderUser's header.
        _client = new CountClient(new CountClientOptions { Servers = _servers.Select(server => server!.Url).ToArray(), Headers = HeaderUser.Headers() });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        foreach (var server in _servers.OfType<CounterServer>())
        {
            await server.DisposeAsync();
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task Increments_land_on_the_owning_server_only()
    {
        await IncrementEveryIdAsync();

        foreach (var server in _servers)
        {
            var owned = Ids.Where(id => _client.ServerFor(id) == server!.Url).Order(StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(owned);
            Assert.Equal(owned, server!.Counts.All().Select(count => count.Key));
        }
    }

    [Fact]
    public async Task Get_answers_what_the_increments_made_and_zero_for_a_song_never_played()
    {
        Assert.Equal(1, await _client.IncrementAsync("café", Cancellation));
        Assert.Equal(2, await _client.IncrementAsync("café", Cancellation));

        Assert.Equal(2, await _client.GetAsync("café", Cancellation));
        Assert.Equal(0, await _client.GetAsync("never", Cancellation));
    }

    [Fact]
    public async Task Get_all_merges_the_songs_of_all_three_servers()
    {
        var expected = await IncrementEveryIdAsync();

        Assert.Equal(expected, await _client.GetAllAsync(Cancellation));
    }

    [Fact]
    public async Task A_song_counted_on_two_servers_is_their_sum_in_get_all_while_get_reads_the_owner()
    {
        // As after a server was added: the old count stays where the song used to live.
        await _client.IncrementAsync("5", Cancellation);
        var formerOwner = _servers.First(server => server!.Url != _client.ServerFor("5"))!;
        await formerOwner.Counts.IncrementAsync("5", Cancellation);
        await formerOwner.Counts.IncrementAsync("5", Cancellation);

        Assert.Equal(3, (await _client.GetAllAsync(Cancellation))["5"]);
        Assert.Equal(1, await _client.GetAsync("5", Cancellation));
    }

    [Fact]
    public async Task Reset_clears_all_three_and_says_so()
    {
        await IncrementEveryIdAsync();

        var reset = await _client.ResetAsync(Cancellation);

        Assert.True(reset.AllSucceeded);
        Assert.Equal(_client.Servers, reset.Succeeded);
        Assert.All(_servers, server => Assert.Empty(server!.Counts.All()));
        Assert.Empty(await _client.GetAllAsync(Cancellation));
    }

    [Fact]
    public async Task Reset_without_an_admins_headers_is_refused_by_every_server_and_clears_nothing()
    {
        var expected = await IncrementEveryIdAsync();
        using var anonymous = new CountClient(new CountClientOptions { Servers = _client.Servers });

        var reset = await anonymous.ResetAsync(Cancellation);

        Assert.Empty(reset.Succeeded);
        Assert.All(reset.Failed, failure => Assert.Equal((System.Net.HttpStatusCode.Unauthorized, "Sign in as an admin to clear every count."), (failure.StatusCode, failure.Reason)));
        Assert.Equal(expected, await _client.GetAllAsync(Cancellation));
    }

    [Fact]
    public async Task With_one_server_stopped_reset_clears_the_others_and_names_the_one_that_failed()
    {
        await IncrementEveryIdAsync();
        var stopped = await StopAsync(1);

        var reset = await _client.ResetAsync(Cancellation);

        var failure = Assert.Single(reset.Failed);
        Assert.Equal(stopped, failure.Server);
        Assert.Null(failure.StatusCode);
        Assert.NotEmpty(failure.Reason);
        Assert.Equal([_servers[0]!.Url, _servers[2]!.Url], reset.Succeeded);
        Assert.Empty(_servers[0]!.Counts.All());
        Assert.Empty(_servers[2]!.Counts.All());
    }

    [Fact]
    public async Task With_one_server_stopped_get_all_fails_with_the_others_counts_and_the_one_that_failed()
    {
        var expected = await IncrementEveryIdAsync();
        var stopped = await StopAsync(1);

        var partial = await Assert.ThrowsAsync<PartialCountsException>(() => _client.GetAllAsync(Cancellation));

        Assert.Equal(stopped, Assert.Single(partial.Failures).Server);
        Assert.Equal(expected.Where(count => _client.ServerFor(count.Key) != stopped).ToDictionary(), partial.Counts);
        Assert.StartsWith("2 of 3 counter servers answered; " + stopped, partial.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_increment_to_a_stopped_server_fails_and_says_the_play_was_not_counted()
    {
        var stopped = await StopAsync(1);
        var id = Enumerable.Range(0, 1000).Select(n => $"s{n}").First(id => _client.ServerFor(id) == stopped);

        var failure = await Assert.ThrowsAsync<CountClientException>(() => _client.IncrementAsync(id, Cancellation));

        Assert.Equal(stopped, failure.Server);
        Assert.Null(failure.StatusCode);
        // The connection was refused, so the request never left: nothing to wonder about.
        Assert.False(failure.OutcomeUnknown);
    }

    [Fact]
    public async Task A_server_under_a_path_prefix_is_asked_under_that_prefix()
    {
        await using var prefixed = await CountingSite.StartAsync(new PathDispatcher { ["/api"] = HeaderUser.In(CounterApp.Create(_servers[0]!.Counts)) }.InvokeAsync);
        using var client = new CountClient(new CountClientOptions { Servers = [new Uri(prefixed.Url, "api")], Headers = HeaderUser.Headers() });

        Assert.Equal(1, await client.IncrementAsync("7", Cancellation));
        Assert.Equal(new Dictionary<string, long> { ["7"] = 1 }, await client.GetAllAsync(Cancellation));
        Assert.True((await client.ResetAsync(Cancellation)).AllSucceeded);
        Assert.Empty(_servers[0]!.Counts.All());
    }

    [Fact]
    public async Task A_wrong_path_prefix_gets_the_counters_404_once()
    {
        await using var counting = await CountingSite.StartAsync(CounterApp.Create(_servers[0]!.Counts));
        using var client = new CountClient(new CountClientOptions { Servers = [new Uri(counting.Url, "api/")] });

        var failure = await Assert.ThrowsAsync<CountClientException>(() => client.GetAsync("1", Cancellation));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, failure.StatusCode);
        Assert.Equal("Not found: the counter answers /song/{id}, / and /flush.", failure.Reason);
        Assert.Equal(1, counting.Requests);
    }

    [Fact]
    public async Task A_shared_handler_outlives_the_clients_that_use_it()
    {
        using var handler = new SocketsHttpHandler();
        var options = new CountClientOptions { Servers = _client.Servers, Handler = handler };
        using (var first = new CountClient(options))
        {
            await first.IncrementAsync("1", Cancellation);
        }

        using var second = new CountClient(options);
        Assert.Equal(1, await second.GetAsync("1", Cancellation));
    }

    /// <summary>Plays each of <see cref="Ids"/> once, twice or three times; answers the counts that makes.</summary>
    private async Task<Dictionary<string, long>> IncrementEveryIdAsync()
    {
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (i, id) in Ids.Index())
        {
            for (var play = 0; play <= i % 3; play++)
            {
                expected[id] = await _client.IncrementAsync(id, Cancellation);
            }
        }
        return expected;
    }

    private async Task<Uri> StopAsync(int index)
    {
        var url = _servers[index]!.Url;
        await _servers[index]!.DisposeAsync();
        _servers[index] = null;
        return url;
    }
}
