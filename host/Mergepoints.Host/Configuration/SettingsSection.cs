using Microsoft.Extensions.Configuration;

namespace Mergepoints.Host.Configuration;

/// <summary>
/// A built-in app's section of appsettings.json (or of the environment, <c>Counter__Durability=...</c>), read once
/// at mount: a value the binder cannot convert or the app cannot use stops the host before it listens, with the one
/// line that names the key, rather than an app that fails on its first request.
/// </summary>
internal static class SettingsSection
{
    /// <summary>Section <paramref name="name"/> bound to <typeparamref name="T"/>, checked by <paramref name="problem"/>.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="name">The section, which is also how a problem names its key.</param>
    /// <param name="problem">What is wrong with the bound settings, as "Key: why", or null.</param>
    public static T Read<T>(IConfiguration configuration, string name, Func<T, string?> problem)
        where T : new()
    {
        T options;
        try
        {
            options = configuration.GetSection(name).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // The binder's own words name the key and the value: "Failed to convert configuration value 'fast' at 'Counter:Durability'".
            throw new ConfigException("appsettings.json", e.Message);
        }
        return problem(options) is { } why ? throw new ConfigException("appsettings.json", $"{name}:{why}") : options;
    }
}
