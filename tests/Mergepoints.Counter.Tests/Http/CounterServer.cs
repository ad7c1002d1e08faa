using Mergepoints.Counter.Http;
using Mergepoints.Counter.Storage;
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

    public static async Task<CounterServer> StartAsync(string directory, Durability durability = Durability.Fsync)
    {
        var counts = await PlayCounts.OpenAsync(new CounterOptions { Directory = directory, Durability = durability }, TestContext.Current.CancellationToken);
        return new CounterServer(await KestrelSite.StartAsync(CounterApp.Create(counts)), counts);
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        await Counts.DisposeAsync();
    }
}
