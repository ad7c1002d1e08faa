namespace Mergepoints.Host.Configuration;

/// <summary>
/// A site config that cannot be served. Its message is the one line a person sees: the file, the mount and
/// what is wrong; the host prints it, exits with code 2 and starts nothing.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>A problem with the file as a whole.</summary>
    public ConfigException(string source, string problem)
        : base($"{source}: {problem}")
    {
    }

    /// <summary>A problem with one mount, named by its path.</summary>
    public ConfigException(string source, string mountPath, string problem)
        : base($"{source}: mount {mountPath}: {problem}")
    {
    }
}
