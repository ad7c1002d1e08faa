using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.InBrowser;

/// <summary>
/// The site a new user gets from the README's first command: the real <c>mergepoints serve</c> with the
/// <c>mergepoints.json</c> that ships, over a data directory of its own. As a class fixture it is shared by the
/// tests of one class (each signs up a user of its own); <see cref="StartAsync"/> gives a test an empty one.
/// </summary>
public sealed class ShippedSite : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private HostProcess? _host;

    /// <summary>The site's root, ending in <c>/</c>.</summary>
    public Uri Url => _host?.Url ?? throw new InvalidOperationException("The site has not started.");

    /// <summary>A plain client for the site, for what the browser tests check behind the page's back.</summary>
    public HttpClient Client { get; private set; } = null!;

    public static async Task<ShippedSite> StartAsync()
    {
        var site = new ShippedSite();
        await site.InitializeAsync();
        return site;
    }

    public async ValueTask InitializeAsync()
    {
        _host = await HostProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "mergepoints.json"), Path.Combine(_directory.Path, "data"));
        Client = new HttpClient { BaseAddress = _host.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _directory.Dispose();
    }
}
