using System.Globalization;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Slots;

/// <summary>
/// A site config with slots on loopback ports free when the test began, a data directory all its instances share
/// and the logs directory beside it; starts instances as an operator would, with the same command each time.
/// </summary>
public sealed class SlotSite : IAsyncDisposable
{
    // Workers are not what these tests are about; without them, four processes on two cores start faster.
    private static readonly Dictionary<string, string> Environment = new() { ["Jobs__InProcess"] = "false" };

    private readonly TempDirectory _directory = new();
    private readonly List<HostProcess> _instances = [];

    public SlotSite(int slots)
    {
        Ports = FreePorts.Take(slots);
        var list = string.Join(", ", Ports.Select(port => $"\"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}\""));
        ConfigFile = _directory.Write("site.json", $$"""{"slots": [{{list}}], "logs": "logs", "mounts": [{"path": "/", "app": "welcome"}]}""");
    }

    /// <summary>The slots' ports, in the config's order.</summary>
    public int[] Ports { get; }

    public string ConfigFile { get; }

    public string DataDirectory => Path.Combine(_directory.Path, "data");

    public string LogsDirectory => Path.Combine(_directory.Path, "logs");

    /// <summary>What the config's <c>slots</c> says, as the messages quote it.</summary>
    public IEnumerable<string> Slots => Ports.Select(port => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    public string LogFile(int port) => Path.Combine(LogsDirectory, $"{port.ToString(CultureInfo.InvariantCulture)}.log");

    public string LockFile(int port) => Path.Combine(LogsDirectory, $"{port.ToString(CultureInfo.InvariantCulture)}.lock");

    /// <summary><c>mergepoints serve --config site.json --data data</c>, until it listens.</summary>
    public async Task<HostProcess> StartAsync()
    {
        var instance = await HostProcess.StartOnSlotAsync(ConfigFile, DataDirectory, Environment);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>The same command, run to its end, for one that is expected not to start.</summary>
    public Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] extra) =>
        HostProcess.RunWithEnvironmentAsync(Environment, ["serve", "--config", ConfigFile, "--data", DataDirectory, .. extra]);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
        _directory.Dispose();
    }
}
