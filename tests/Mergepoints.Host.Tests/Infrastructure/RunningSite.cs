using Mergepoints.Host.Configuration;
using Mergepoints.Host.Mounts;
using Mergepoints.Host.Serving;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>The host, in this process but on a real loopback socket, serving a config the test wrote.</summary>
public sealed class RunningSite : IAsyncDisposable
{
    private readonly SiteHost _host;

    private RunningSite(SiteHost host, Uri url)
    {
        _host = host;
        Url = url;
        // Redirects are what some tests look at, so the client never follows them.
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url { get; }

    public HttpClient Client { get; }

    /// <summary>What <c>serve</c> prints at start.</summary>
    public string Summary
    {
        get
        {
            using var output = new StringWriter();
            _host.PrintSummary(output);
            return output.ToString();
        }
    }

    public static async Task<RunningSite> StartAsync(TempDirectory directory, string configJson, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configFile = directory.Write("site.json", configJson);
        var config = SiteConfigLoader.Load(configFile, BuiltInApps.Names);
        var host = await SiteHost.StartAsync(config, ["http://127.0.0.1:0"], Path.Combine(directory.Path, "data"), TestContext.Current.CancellationToken, settings);
        return new RunningSite(host, new Uri(host.Addresses[0]));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
    }
}
