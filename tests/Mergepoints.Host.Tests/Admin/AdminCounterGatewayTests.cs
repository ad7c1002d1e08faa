using System.Net;
using Mergepoints.Counter.Client;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>
/// An instance in gateway mode (<c>Counter:Shards</c>) in front of two counter shards, all three hosts on real
/// sockets over one datastore and one key ring: the admin, with <c>Admin:CounterUrls</c> unset, asks its own
/// <c>/api</c>, and its reset and flush still reach the shard that holds the plays.
/// </summary>
public sealed class AdminCounterGatewayTests : IAsyncDisposable
{
    private const string ShardSite = """{"mounts": [{"path": "/api", "app": "counter"}]}""";

    private readonly TempDirectory _instanceDirectory = new();
    private readonly List<(TempDirectory Directory, RunningSite Site)> _shards = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var (directory, site) in _shards)
        {
            await site.DisposeAsync();
            directory.Dispose();
        }
        _instanceDirectory.Dispose();
    }

    [Fact]
    public async Task Without_counter_urls_the_admin_resets_and_flushes_the_shards_through_its_own_gateway()
    {
        // The instance's datastore and key ring, shared by the shards as a deployment shares PostgreSQL and the keys.
        var data = Path.Combine(_instanceDirectory.Path, "data");
        var shared = new Dictionary<string, string?>
        {
            ["Datastore:SqlitePath"] = Path.Combine(data, "mergepoints.db"),
            ["DataProtection:KeyDirectory"] = Path.Combine(data, "keys"),
            ["Counter:Durability"] = "memory",
            ["Counter:WriteBehindSeconds"] = "0",
        };
        Uri[] shards = [await StartShardAsync(shared), await StartShardAsync(shared)];
        await using var site = await AdminTestSite.StartAsync(_instanceDirectory, DatastoreKind.Sqlite, settings: new Dictionary<string, string?>(shared)
        {
            ["Counter:Shards:0"] = shards[0].AbsoluteUri,
            ["Counter:Shards:1"] = shards[1].AbsoluteUri,
        });
        await site.AddUserAsync("root", admin: true);
        var (songA, songB) = await AdminSongTests.DemoSongsAsync(site);
        foreach (var song in new[] { songA, songA, songA, songB, songB })
        {
            (await site.Site.Client.PostAsync($"/api/song/{song}", null, Cancel)).EnsureSuccessStatusCode();
        }
        using var placement = new CountClient(new CountClientOptions { Servers = shards });
        using var root = new AdminVisitor(site.Url);
        await root.SignInAsync("root");

        var onOwner = await ShardCountAsync(placement.ServerFor(songA), songA);
        using var reset = await root.PressAsync($"/songs/{songA}/reset-count", $"/songs/{songA}/reset-count");
        var afterReset = await ShardCountAsync(placement.ServerFor(songA), songA);
        using var flushed = await root.PressAsync("/", "/counter/flush");
        var flushPage = await flushed.Content.ReadAsStringAsync(Cancel);

        Assert.Contains("counter gateway over 2 shards (", site.Site.Summary, StringComparison.Ordinal);
        Assert.Equal((3, 0), (onOwner, afterReset));
        Assert.Equal(HttpStatusCode.SeeOther, reset.StatusCode);
        Assert.Contains("flushed 2 plays of 1 song", flushPage, StringComparison.Ordinal);
        Assert.Equal(2, await site.ScalarAsync<long>("SELECT play_count FROM songs WHERE id = @songB", new { songB }));
        Assert.Equal(0, await ShardCountAsync(placement.ServerFor(songB), songB));
    }

    private async Task<Uri> StartShardAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var directory = new TempDirectory();
        var site = await RunningSite.StartAsync(directory, ShardSite, settings);
        _shards.Add((directory, site));
        return new Uri(site.Url, "/api");
    }

    /// <summary>The song's plays as the shard itself holds them, asked directly.</summary>
    private static async Task<long> ShardCountAsync(Uri shard, string song)
    {
        using var http = new HttpClient();
        return long.Parse(await http.GetStringAsync(new Uri(shard, $"song/{song}"), Cancel), System.Globalization.CultureInfo.InvariantCulture);
    }
}
