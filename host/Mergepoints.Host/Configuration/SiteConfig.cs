namespace Mergepoints.Host.Configuration;

/// <summary>
/// The site as its config file describes it, checked once when loaded. <paramref name="Source"/> is the file
/// it came from, so that any later complaint about a mount can name it.
/// </summary>
public sealed record SiteConfig(string Source, IReadOnlyList<string> Urls, string? DataDirectory, IReadOnlyList<MountConfig> Mounts)
{
    /// <summary>
    /// The slots <c>serve</c> picks from when no <c>--urls</c> is given: the first one free is taken and held
    /// for the life of the process. Empty when the config lists none; then <see cref="Urls"/> apply.
    /// </summary>
    public IReadOnlyList<ListenSlot> Slots { get; init; } = [];

    /// <summary>Where a slot's lock and log live (<c>logs</c>, relative to the file); null means <c>./logs</c>.</summary>
    public string? LogsDirectory { get; init; }

    /// <summary>Where the account pages are mounted, whatever the mounts list says.</summary>
    public string AccountsPath { get; init; } = "/account";

    /// <summary>Where the host's own user box lives: <c>whoami</c> and <c>userbox.js</c>.</summary>
    public const string UserBoxPath = "/_mergepoints";

    /// <summary>Whether the user and database middleware go in front of chosen mounts only (see <see cref="MountConfig.Inject"/>).</summary>
    public bool InjectPerMount => Mounts.Any(m => m.Inject);

    /// <summary>Where the host listens when neither the config nor the command line says.</summary>
    public static readonly IReadOnlyList<string> DefaultUrls = ["http://127.0.0.1:5000"];

    /// <summary>How long a proxied service may stay silent before the client gets a 504.</summary>
    public static readonly TimeSpan DefaultProxyTimeout = TimeSpan.FromSeconds(30);
}
