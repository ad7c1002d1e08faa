using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

/// <summary>The real host serving MonsterMash (at <c>/</c> unless told otherwise) and the play counter at <c>/api</c>.</summary>
public static class MashSites
{
    public static Task<RunningSite> StartAsync(TempDirectory directory, string mount = "/", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            // Two workers: a test waits on its own mashes, never on a queue of other tests' ones.
            ["Jobs:Workers"] = "2",
            ["Counter:Durability"] = "memory",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return RunningSite.StartAsync(directory, $$"""
            {"mounts": [{"path": "{{mount}}", "app": "mash"}, {"path": "/api", "app": "counter"}]}
            """, all);
    }

    /// <summary>Deletes every song's file of the site started over <paramref name="directory"/> (not the temporary ones).</summary>
    public static void DeleteSongFiles(TempDirectory directory)
    {
        var blobs = Path.Combine(directory.Path, "data", "blobs");
        foreach (var blob in Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(blobs, f).StartsWith("tmp", StringComparison.Ordinal)))
        {
            File.Delete(blob);
        }
    }
}
