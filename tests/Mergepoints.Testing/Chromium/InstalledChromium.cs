namespace Mergepoints.Testing.Chromium;

/// <summary>
/// Debian's Chromium and its ChromeDriver for the browser tests: they skip where either is missing, except in CI,
/// where a skip would hide them (./test.sh installs both as root). The paths are fixed on purpose: nothing may
/// go looking for a browser elsewhere, and there is no network to download one.
/// </summary>
public static class InstalledChromium
{
    public const string BrowserPath = "/usr/bin/chromium";

    public const string DriverPath = "/usr/bin/chromedriver";

    public static void Require()
    {
        var missing = new[] { BrowserPath, DriverPath }.Where(path => !File.Exists(path)).ToArray();
        if (missing.Length > 0)
        {
            MissingPrerequisite.SkipOrFail($"{string.Join(" and ", missing)} {(missing.Length == 1 ? "is" : "are")} not installed: run ./test.sh as root, or apt-get install chromium chromium-driver");
        }
    }
}
