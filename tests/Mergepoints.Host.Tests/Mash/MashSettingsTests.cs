using Mergepoints.Host.Configuration;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

/// <summary>A bad setting in section <c>Mash</c> stops <c>serve</c> and <c>worker</c> with one line, before they start.</summary>
public sealed class MashSettingsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("Mash:MaxUploadBytes", "0", "appsettings.json: Mash:MaxUploadBytes must be between 1 and 2147483647 (2 GiB), not 0")]
    [InlineData("Mash:MaxSongSeconds", "0", "appsettings.json: Mash:MaxSongSeconds must be between 1 and 86400 (a day), not 0")]
    [InlineData("Mash:RetentionDays", "-3", "appsettings.json: Mash:RetentionDays must be between 0 (keep everything) and 36500, not -3")]
    [InlineData("Mash:RetentionDays", "soon", "appsettings.json: Failed to convert configuration value 'soon' at 'Mash:RetentionDays'")]
    [InlineData("Mash:FfmpegPath", "", "appsettings.json: Mash:FfmpegPath must name the ffmpeg executable (\"ffmpeg\" finds it on PATH)")]
    public async Task A_bad_mash_setting_stops_serve_with_one_line(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/", "app": "welcome"}]}""",
            new Dictionary<string, string?> { [key] = value }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_bad_mash_setting_stops_a_worker_with_one_line_and_exit_code_2()
    {
        var info = await HostProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["Mash__MaxUploadBytes"] = "-1" }, "worker", "--data", Path.Combine(_directory.Path, "data"));

        Assert.Equal((2, "mergepoints: appsettings.json: Mash:MaxUploadBytes must be between 1 and 2147483647 (2 GiB), not -1"), (info.ExitCode, info.Error.Trim()));
        Assert.False(File.Exists(Path.Combine(_directory.Path, "data", "mergepoints.db")));
    }

    public void Dispose() => _directory.Dispose();
}
