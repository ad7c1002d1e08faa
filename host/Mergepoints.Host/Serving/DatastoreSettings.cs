using Mergepoints.Admin.Data;
using Mergepoints.Host.BuiltIn;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Mergepoints.Middleware.Data;
using Mergepoints.Middleware.Users;
using Microsoft.Extensions.Configuration;

namespace Mergepoints.Host.Serving;

/// <summary>
/// The shared datastore as appsettings.json (section <c>Datastore</c>) and the environment
/// (<c>Datastore__Postgres</c>) describe it, and every schema the host's apps own, so that <c>serve</c>,
/// <c>migrate</c> and <c>users</c> all mean the same database.
/// </summary>
public sealed class DatastoreSettings
{
    /// <summary>A PostgreSQL connection string; empty means SQLite under the data directory.</summary>
    public string? Postgres { get; set; }

    /// <summary>The SQLite file; empty means <c>mergepoints.db</c> in the data directory.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>How long SQLite waits for a writer before it gives up.</summary>
    public int BusyTimeoutSeconds { get; set; } = 5;

    /// <summary>Each owner's migrations; an app registers its schema here as it lands.</summary>
    public static IReadOnlyList<(string Owner, IReadOnlyList<Migration> Migrations)> Schemas { get; } =
    [
        (AccountsSchema.Owner, AccountsSchema.Migrations),
        CounterMount.Schema,
        (JobsSchema.Owner, JobsSchema.Migrations),
        (MashSchema.Owner, MashSchema.Migrations),
        (AdminSchema.Owner, AdminSchema.Migrations),
    ];

    /// <summary>The host's configuration outside a web host: appsettings.json beside the executable, then the environment.</summary>
    public static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>The datastore <paramref name="configuration"/> names, SQLite at <c>DATA/mergepoints.db</c> by default.</summary>
    public static Datastore Open(IConfiguration configuration, string dataDirectory)
    {
        var settings = configuration.GetSection("Datastore").Get<DatastoreSettings>() ?? new DatastoreSettings();
        var sqlitePath = settings.SqlitePath is { Length: > 0 } path ? Path.GetFullPath(path) : Path.Combine(dataDirectory, "mergepoints.db");
        return new Datastore(settings.Postgres, sqlitePath, TimeSpan.FromSeconds(settings.BusyTimeoutSeconds));
    }

    /// <summary>Prepares the database and applies every schema's pending migrations; returns what it applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(Datastore datastore, CancellationToken cancellationToken)
    {
        await datastore.InitializeAsync(cancellationToken);
        var migrator = new Migrator(datastore);
        var applied = new List<string>();
        foreach (var (owner, migrations) in Schemas)
        {
            applied.AddRange((await migrator.ApplyAsync(owner, migrations, cancellationToken)).Select(m => $"{owner} {m.Version}: {m.Name}"));
        }
        return applied;
    }
}
