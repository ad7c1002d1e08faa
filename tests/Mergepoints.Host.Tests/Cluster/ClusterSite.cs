using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;
using Mergepoints.Testing.Nginx;

namespace Mergepoints.Host.Tests.Cluster;

/// <summary>
/// The deployment of docs/deploy.md on loopback, every part a real process: a PostgreSQL database of its own,
/// deploy/mergepoints.json on three slots of free ports, the same <c>serve</c> command run once per slot (sharing the
/// data directory with its blobs and one key directory), counter shards serving <c>deploy/counter.json</c> each over
/// its own data directory, mash workers as <c>mergepoints worker</c> processes, and the repository's nginx.conf in
/// front of them all.
/// </summary>
public sealed class ClusterSite : IAsyncDisposable
{
    private const int Slots = 3;

    private readonly TempDirectory _directory;
    private readonly TestDatastore _database;
    private readonly List<HostProcess> _started = [];
    private readonly List<HostProcess> _instances = [];
    private readonly List<HostProcess> _shards = [];
    private readonly List<HostProcess> _workers = [];
    private readonly Dictionary<string, string> _instanceEnvironment;
    private NginxSite? _nginx;

    private ClusterSite(TempDirectory directory, TestDatastore database, int[] ports, bool counter)
    {
        _directory = directory;
        _database = database;
        Ports = ports;
        _instanceEnvironment = new Dictionary<string, string>(SharedEnvironment())
        {
            // Mashes are the worker processes' job, never the instances'.
            ["Jobs__InProcess"] = "false",
        };
        ConfigFile = directory.Write("site.json", SiteConfig(ports, counter));
    }

    /// <summary>The slots' ports, in the config's order: nginx's upstream of instances.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>The site config every instance serves.</summary>
    public string ConfigFile { get; }

    /// <summary>The data directory the instances and workers share (its <c>blobs/</c> is nginx's internal location).</summary>
    public string DataDirectory => Path.Combine(_directory.Path, "data");

    /// <summary>The shared PostgreSQL database, for what a test asks it directly.</summary>
    public Datastore Database => _database.Datastore;

    /// <summary>nginx in front: where the tests' visitors go.</summary>
    public NginxSite Nginx => _nginx ?? throw new InvalidOperationException("nginx has not started");

    /// <summary>The instances running now, in the order they started.</summary>
    public IReadOnlyList<HostProcess> Instances => _instances;

    /// <summary>The counter shards; each serves the counter at <c>/api</c>.</summary>
    public IReadOnlyList<HostProcess> Shards => _shards;

    /// <summary>The mash worker processes.</summary>
    public IReadOnlyList<HostProcess> Workers => _workers;

    /// <summary>
    /// Starts it all: the database, the shards (on ports of their own), the instances on the slots, the workers and
    /// nginx. Skips the test without nginx or PostgreSQL (fails it in CI). On a failure everything started is
    /// stopped, and the exception carries every log.
    /// </summary>
    public static async Task<ClusterSite> StartAsync(int shards, int workers, CancellationToken cancellationToken)
    {
        InstalledNginx.Require();
        var database = await Databases.CreateAsync(DatastoreKind.Postgres);
        var cluster = new ClusterSite(new TempDirectory(), database, FreePorts.Take(Slots), counter: shards > 0);
        try
        {
            await cluster.StartPartsAsync(shards, workers, cancellationToken);
            return cluster;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var logs = cluster.Logs();
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"The cluster did not start: {e.Message}\n{logs}", e);
        }
    }

    /// <summary>
    /// <c>mergepoints serve --config site.json --data data</c> once more, as an operator restarts an instance: it takes
    /// the first free slot.
    /// </summary>
    public async Task<HostProcess> StartInstanceAsync()
    {
        var instance = Started(await HostProcess.StartOnSlotAsync(ConfigFile, DataDirectory, _instanceEnvironment));
        lock (_instances)
        {
            _instances.Add(instance);
        }
        return instance;
    }

    /// <summary>kill -9: the instance ends at once, and its slot is free again.</summary>
    public async Task KillAsync(HostProcess instance)
    {
        await instance.KillAsync();
        lock (_instances)
        {
            _instances.Remove(instance);
        }
    }

    /// <summary>The slot's log, <c>logs/PORT.log</c>, as far as it is written.</summary>
    public string InstanceLog(int port)
    {
        var path = LogFile(port);
        if (!File.Exists(path))
        {
            return "";
        }
        // The instance keeps appending to it meanwhile.
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }

    /// <summary>How many requests for exactly <paramref name="request"/> (<c>GET / 200</c>: method, path and status) the slot's instance logged.</summary>
    public int RequestsLogged(int port, string request) =>
        InstanceLog(port).Split('\n').Count(line => line.Contains($" Mergepoints.Requests: {request} ", StringComparison.Ordinal));

    /// <summary>Every log of the cluster, for a failing test's output: the slots' logs, what each process printed, nginx's error log.</summary>
    public string Logs()
    {
        var logs = new StringBuilder();
        foreach (var port in Ports)
        {
            logs.Append(CultureInfo.InvariantCulture, $"==== logs/{port}.log\n{InstanceLog(port)}\n");
        }
        foreach (var process in _started)
        {
            logs.Append(CultureInfo.InvariantCulture, $"==== output of process {process.Id}\n{process.Output}\n");
        }
        if (_nginx is not null)
        {
            logs.Append(CultureInfo.InvariantCulture, $"==== nginx error log\n{_nginx.ErrorLog}\n");
        }
        return logs.ToString();
    }

    /// <summary>Puts <see cref="Logs"/> in the test's output when the test that just ran failed; for a test class's disposal.</summary>
    public void ReportIfFailed()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(Logs());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }
        await Task.WhenAll(_started.Select(process => process.DisposeAsync().AsTask()));
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    private async Task StartPartsAsync(int shards, int workers, CancellationToken cancellationToken)
    {
        var shared = SharedEnvironment();
        // As docs/deploy.md starts them: a shard mounts no MonsterMash, so it runs no job workers by itself (were it
        // to, it would take mashes whose songs are in a data directory it does not have, and the mash test fails).
        var shardEnvironment = shared;
        var counterConfig = Path.Combine(Repository, "deploy", "counter.json");
        _shards.AddRange(await Task.WhenAll(Enumerable.Range(1, shards).Select(async n =>
            Started(await HostProcess.StartAsync(counterConfig, Path.Combine(_directory.Path, $"shard{n}"), shardEnvironment)))));
        for (var i = 0; i < _shards.Count; i++)
        {
            _instanceEnvironment[$"Counter__Shards__{i}"] = new Uri(_shards[i].Url, "api").ToString();
        }
        // The first instance alone: it migrates the database that the others then find ready.
        await StartInstanceAsync();
        await Task.WhenAll(Enumerable.Range(1, Slots - 1).Select(_ => StartInstanceAsync()));
        var workerEnvironment = new Dictionary<string, string>(shared) { ["Jobs__PollMilliseconds"] = "100" };
        _workers.AddRange(await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
            Started(await HostProcess.StartWorkerAsync(DataDirectory, workers: 1, workerEnvironment)))));
        _nginx = await NginxSite.StartAsync(
            [.. Ports.Select(Server)], [.. _shards.Select(shard => Server(shard.Url.Port))], Path.Combine(DataDirectory, "blobs"), cancellationToken);
    }

    /// <summary>What every process of the cluster shares: the database and the key ring.</summary>
    private Dictionary<string, string> SharedEnvironment() => new()
    {
        ["Datastore__Postgres"] = _database.PostgresConnectionString!,
        ["DataProtection__KeyDirectory"] = Path.Combine(_directory.Path, "keys"),
    };

    private HostProcess Started(HostProcess process)
    {
        lock (_started)
        {
            _started.Add(process);
        }
        return process;
    }

    /// <summary>
    /// deploy/mergepoints.json, the site docs/deploy.md runs, on this test's slots, logs and data; without shards
    /// without its counter, since three instances cannot share one counter log (it is locked to one process).
    /// </summary>
    private static string SiteConfig(IEnumerable<int> ports, bool counter)
    {
        var site = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository, "deploy", "mergepoints.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        site["slots"] = new JsonArray([.. ports.Select(port => JsonValue.Create(Server(port)))]);
        site["logs"] = "./logs";
        site["data"] = "./data";
        if (!counter)
        {
            var mounts = site["mounts"]!.AsArray();
            mounts.Remove(mounts.Single(mount => (string?)mount!["app"] == "counter"));
        }
        return site.ToJsonString();
    }

    private static string Repository => RepositoryRoot.Path ?? throw new InvalidOperationException("The cluster runs the clone's deploy/ files: no Mergepoints.sln above the tests.");

    private string LogFile(int port) => Path.Combine(_directory.Path, "logs", $"{port.ToString(CultureInfo.InvariantCulture)}.log");

    private static string Server(int port) => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
}
