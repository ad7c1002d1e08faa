using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Testing;
using Mergepoints.Testing.Nginx;

namespace Mergepoints.Host.Tests.Nginx;

/// <summary>The host, in this process on its own loopback port, behind the repository's nginx.conf.</summary>
public sealed class FrontedSite : IAsyncDisposable
{
    private FrontedSite(RunningSite host, NginxSite nginx)
    {
        Host = host;
        Nginx = nginx;
    }

    /// <summary>The host itself, for what a test asks it directly.</summary>
    public RunningSite Host { get; }

    /// <summary>nginx in front of it: where the tests' visitors go.</summary>
    public NginxSite Nginx { get; }

    /// <summary>MonsterMash at <c>/</c> and the counter at <c>/api</c> (<see cref="MashSites"/>) behind nginx.</summary>
    public static async Task<FrontedSite> StartMashAsync(TempDirectory directory, IReadOnlyDictionary<string, string?>? settings = null) =>
        await InFrontOfAsync(directory, await MashSites.StartAsync(directory, settings: settings));

    /// <summary>The host serving <paramref name="configJson"/> behind nginx.</summary>
    public static async Task<FrontedSite> StartAsync(TempDirectory directory, string configJson) =>
        await InFrontOfAsync(directory, await RunningSite.StartAsync(directory, configJson));

    /// <summary>A visitor who registered through nginx.</summary>
    public async Task<MashVisitor> SignedUpAsync(string name)
    {
        var visitor = new MashVisitor(Nginx.Url);
        await visitor.SignUpAsync(name);
        return visitor;
    }

    public async ValueTask DisposeAsync()
    {
        await Nginx.DisposeAsync();
        await Host.DisposeAsync();
    }

    private static async Task<FrontedSite> InFrontOfAsync(TempDirectory directory, RunningSite host)
    {
        try
        {
            var nginx = await NginxSite.StartAsync([NginxSite.ServerOf(host.Url)], [], Path.Combine(directory.Path, "data", "blobs"), TestContext.Current.CancellationToken);
            return new FrontedSite(host, nginx);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }
}
