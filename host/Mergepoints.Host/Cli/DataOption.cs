using System.CommandLine;

namespace Mergepoints.Host.Cli;

/// <summary>The <c>--data</c> option every command that touches the datastore shares.</summary>
internal static class DataOption
{
    public static Option<string> Create() =>
        new("--data") { Description = "The data directory (SQLite file, blobs, keys). Default: ./data" };

    /// <summary>The directory the option names, or ./data.</summary>
    public static string Resolve(string? value) => value is { Length: 0 } || value?.Trim().Length == 0
        ? throw new UsageException("--data must name a directory")
        : Path.GetFullPath(value ?? "data");
}
