namespace Mergepoints.Testing;

/// <summary>The clone the tests run from: the nearest folder above the test assembly that holds Mergepoints.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string?> Found = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Mergepoints.sln")))
            {
                return directory.FullName;
            }
        }
        return null;
    });

    /// <summary>The clone's root, or null for a test assembly run from outside a clone.</summary>
    public static string? Path => Found.Value;
}
