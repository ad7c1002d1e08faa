using System.Diagnostics;
using System.ComponentModel;

namespace Mergepoints.Testing.Audio;

/// <summary>
/// ffmpeg for the tests that need it (the engine's, the library's uploads): they skip where it is not installed,
/// except in CI, where a skip would hide them (./test.sh installs it as root).
/// </summary>
public static class InstalledFfmpeg
{
    private static readonly Lazy<bool> Installed = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("ffmpeg", "-version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    });

    /// <summary>Skips the test without ffmpeg, or fails it in CI.</summary>
    public static void Require()
    {
        if (!Installed.Value)
        {
            MissingPrerequisite.SkipOrFail("ffmpeg is not installed: run ./test.sh as root, or apt-get install ffmpeg");
        }
    }

    /// <summary>Encodes <paramref name="input"/> into the format <paramref name="output"/>'s extension names.</summary>
    public static async Task EncodeAsync(string input, string output)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-nostdin", "-loglevel", "error", "-y", "-i", input, output])
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, error);
    }
}
