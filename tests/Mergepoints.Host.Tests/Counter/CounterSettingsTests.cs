using Mergepoints.Host.Configuration;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Counter;

/// <summary>A counter setting that would make it spin, never fsync or die stops the host with one line instead.</summary>
public sealed class CounterSettingsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("Counter:BatchMilliseconds", "0", "appsettings.json: Counter:BatchMilliseconds must be between 1 and")]
    [InlineData("Counter:BatchMilliseconds", "-1", "appsettings.json: Counter:BatchMilliseconds must be between 1 and")]
    [InlineData("Counter:WriteBehindSeconds", "-5", "appsettings.json: Counter:WriteBehindSeconds must be between 0 (off) and")]
    [InlineData("Counter:Durability", "fast", "appsettings.json: Failed to convert configuration value 'fast' at 'Counter:Durability'")]
    [InlineData("Counter:Durability", "7", "appsettings.json: Counter:Durability must be fsync, batch or memory, not 7")]
    public async Task A_bad_counter_setting_stops_the_host_with_one_line(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => RunningSite.StartAsync(_directory, """{"mounts": [{"path": "/api", "app": "counter"}]}""",
            new Dictionary<string, string?> { [key] = value }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => _directory.Dispose();
}
