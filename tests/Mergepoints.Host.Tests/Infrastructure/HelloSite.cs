using Mergepoints.Middleware.Data;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>The Hello site on the embedded default, SQLite, started before the class's first test.</summary>
public sealed class HelloSite() : HelloSiteBase(DatastoreKind.Sqlite), IAsyncLifetime
{
    public RunningSite Site { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Site = await SiteAsync();
}
