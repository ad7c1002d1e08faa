using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mergepoints.Testing.Nginx;

/// <summary>
/// The repository's own nginx.conf, unchanged, in front of the instances and shards a test started: a temporary
/// prefix holds a symlink to it and an nginx.d/ of the test's own (a free loopback port, the given addresses, the
/// given blob directory), and nginx runs in the foreground as this process's child until the site is disposed.
/// </summary>
public sealed class NginxSite : IAsyncDisposable
{
    private readonly Process _nginx;
    private readonly TempDirectory _prefix;

    private NginxSite(Process nginx, TempDirectory prefix, Uri url)
    {
        _nginx = nginx;
        _prefix = prefix;
        Url = url;
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>Where nginx listens.</summary>
    public Uri Url { get; }

    /// <summary>A client for the site through nginx: it shows redirects and compressed bodies as they come.</summary>
    public HttpClient Client { get; }

    /// <summary>nginx's error log so far, for a failing test's message.</summary>
    public string ErrorLog => ReadLog("nginx-error.log");

    /// <summary>nginx's access log so far: which upstream answered each request.</summary>
    public string AccessLog => ReadLog("nginx-access.log");

    /// <summary>The repository's nginx.conf.</summary>
    public static string RepositoryConfig => System.IO.Path.Combine(
        RepositoryRoot.Path ?? throw new InvalidOperationException($"No Mergepoints.sln above {AppContext.BaseDirectory}: nginx.conf is found through it."),
        "nginx.conf");

    /// <summary>
    /// Starts nginx in front of <paramref name="instances"/> (<c>host:port</c>, as nginx.d/instances.conf writes
    /// them) and <paramref name="shards"/> (none: the instances count songs themselves), with the internal blob
    /// location on <paramref name="blobDirectory"/>. Skips the test without nginx (fails it in CI).
    /// </summary>
    public static async Task<NginxSite> StartAsync(
        IReadOnlyList<string> instances, IReadOnlyList<string> shards, string blobDirectory, CancellationToken cancellationToken)
    {
        InstalledNginx.Require();
        // Another process may take the free port before nginx binds it: a few tries.
        for (var attempt = 1; ; attempt++)
        {
            var prefix = new TempDirectory();
            var port = FreePort();
            WritePrefix(prefix, port, instances, shards.Count > 0 ? shards : instances, blobDirectory);
            var stderr = new System.Text.StringBuilder();
            var nginx = Start(prefix, stderr);
            var url = new Uri($"http://127.0.0.1:{port}");
            if (await ListensAsync(nginx, port, cancellationToken))
            {
                return new NginxSite(nginx, prefix, url);
            }
            var log = File.Exists(System.IO.Path.Combine(prefix.Path, "logs", "nginx-error.log"))
                ? await File.ReadAllTextAsync(System.IO.Path.Combine(prefix.Path, "logs", "nginx-error.log"), cancellationToken)
                : "";
            nginx.Dispose();
            prefix.Dispose();
            string printed;
            lock (stderr)
            {
                printed = stderr.ToString();
            }
            if (attempt == 3 || !(printed + log).Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"nginx did not start: {printed}{log}");
            }
        }
    }

    /// <summary>A one-line server list of the instance at <paramref name="url"/>, as nginx.d/instances.conf wants it.</summary>
    public static string ServerOf(Uri url) => $"{url.Host}:{url.Port}";

    /// <summary>
    /// Runs <c>nginx -t</c> on the repository's nginx.conf over a prefix whose nginx.d/ is the repository's own
    /// (a symlink), and returns its exit code and what it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> TestRepositoryConfigAsync(CancellationToken cancellationToken)
    {
        InstalledNginx.Require();
        using var prefix = new TempDirectory();
        PreparePrefix(prefix);
        Directory.CreateSymbolicLink(System.IO.Path.Combine(prefix.Path, "nginx.d"), System.IO.Path.Combine(System.IO.Path.GetDirectoryName(RepositoryConfig)!, "nginx.d"));
        using var nginx = Process.Start(StartInfo(prefix, "-t"))!;
        var output = await nginx.StandardError.ReadToEndAsync(cancellationToken) + await nginx.StandardOutput.ReadToEndAsync(cancellationToken);
        await nginx.WaitForExitAsync(cancellationToken);
        return (nginx.ExitCode, output);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_nginx.HasExited)
        {
            // The master and its workers: nothing of nginx outlives the test.
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync(CancellationToken.None);
        }
        _nginx.Dispose();
        _prefix.Dispose();
    }

    private string ReadLog(string name)
    {
        var path = System.IO.Path.Combine(_prefix.Path, "logs", name);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static void WritePrefix(TempDirectory prefix, int port, IReadOnlyList<string> instances, IReadOnlyList<string> shards, string blobDirectory)
    {
        PreparePrefix(prefix);
        prefix.Write("nginx.d/listen.conf", $"listen 127.0.0.1:{port};\n");
        prefix.Write("nginx.d/instances.conf", string.Concat(instances.Select(i => $"server {i} max_fails=1 fail_timeout=5s;\n")));
        prefix.Write("nginx.d/shards.conf", string.Concat(shards.Select(s => $"server {s} max_fails=0;\n")));
        prefix.Write("nginx.d/blobs.conf", $"alias {System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(blobDirectory))}/;\n");
    }

    private static void PreparePrefix(TempDirectory prefix)
    {
        // As root nginx's workers run as nobody, and must reach the temporary directories nginx makes here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(prefix.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        }
        Directory.CreateDirectory(System.IO.Path.Combine(prefix.Path, "logs"));
        File.CreateSymbolicLink(System.IO.Path.Combine(prefix.Path, "nginx.conf"), RepositoryConfig);
    }

    private static ProcessStartInfo StartInfo(TempDirectory prefix, params string[] more)
    {
        var info = new ProcessStartInfo(InstalledNginx.Path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-p", prefix.Path + "/", "-c", System.IO.Path.Combine(prefix.Path, "nginx.conf"), .. more])
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    // nginx.conf has no daemon line, so operators choose; a test keeps nginx as its own child to kill it. What it
    // prints before its error log is open (a config it cannot load) is kept for the message.
    private static Process Start(TempDirectory prefix, System.Text.StringBuilder stderr)
    {
        var nginx = new Process { StartInfo = StartInfo(prefix, "-g", "daemon off;") };
        nginx.ErrorDataReceived += (_, line) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(line.Data);
            }
        };
        nginx.Start();
        nginx.BeginErrorReadLine();
        return nginx;
    }

    private static async Task<bool> ListensAsync(Process nginx, int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!nginx.HasExited && DateTime.UtcNow < deadline)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
        if (!nginx.HasExited)
        {
            nginx.Kill(entireProcessTree: true);
        }
        await nginx.WaitForExitAsync(cancellationToken);
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
