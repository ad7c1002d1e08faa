using Mergepoints.Counter.Http;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Http;

/// <summary>The counter app on real Kestrel over counts in a directory of its own.</summary>
internal sealed class CounterServer : IAsyncDisposable
{
    private readonly KestrelSite _site;

    private CounterServer(KestrelSite site, PlayCounts counts)
    {
        _site = site;
        Counts = counts;
    }

    public PlayCounts Counts { get; }

    public Uri Url => _site.Url;

    public HttpClient Client => _site.Client;

    /// <summary>A counter whose callers say who they are with <see cref="HeaderUser"/>; <paramref name="flush"/> is what <c>POST /flush</c> runs.</summary>
    public static async Task<CounterServer> StartAsync(
        string directory, Durability durability = Durability.Fsync, Func<PlayCounts, Func<CancellationToken, Task<WriteBehindResult>>>? flush = null)
    {
        var counts = await PlayCounts.OpenAsync(new CounterOptions { Directory = directory, Durability = durability }, TestContext.Current.CancellationToken);
        return new CounterServer(await KestrelSite.StartAsync(HeaderUser.In(CounterApp.Create(counts, flush?.Invoke(counts)))), counts);
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        await Counts.DisposeAsync();
    }
}
