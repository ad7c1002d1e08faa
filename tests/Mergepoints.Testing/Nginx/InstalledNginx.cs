namespace Mergepoints.Testing.Nginx;

/// <summary>
/// Debian's nginx for the tests that put the repository's nginx.conf in front of the host: they skip where it is
/// missing, except in CI, where a skip would hide them (./test.sh installs it as root).
/// </summary>
public static class InstalledNginx
{
    /// <summary>Where Debian installs it; the tests run that one, never an nginx found elsewhere.</summary>
    public const string Path = "/usr/sbin/nginx";

    /// <summary>Skips the test without nginx, or fails it in CI.</summary>
    public static void Require()
    {
        if (!File.Exists(Path))
        {
            MissingPrerequisite.SkipOrFail($"{Path} is not installed: run ./test.sh as root, or apt-get install nginx");
        }
    }
}
