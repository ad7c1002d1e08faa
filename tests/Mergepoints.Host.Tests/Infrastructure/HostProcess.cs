using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// The real <c>mergepoints</c> executable in a process of its own, for what only a process shows: exit codes,
/// what it prints, signals, its memory.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "mergepoints.dll");
    private readonly Process _process;
    private readonly StringBuilder _stdout;

    private readonly Uri? _url;
    private readonly int? _slot;

    private HostProcess(Process process, StringBuilder stdout, Uri? url, int? slot)
    {
        _process = process;
        _stdout = stdout;
        _url = url;
        _slot = slot;
    }

    /// <summary>Where <c>serve</c> listens.</summary>
    public Uri Url => _url ?? throw new InvalidOperationException("a worker process does not listen");

    /// <summary>The slot <c>serve</c> took (1 for the config's first), as its start-up line says.</summary>
    public int Slot => _slot ?? throw new InvalidOperationException("this process took no slot");

    /// <summary>The process id, as job leases name it (<c>host:pid:worker-n</c>).</summary>
    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Runs the executable to its end: exit code, standard output, standard error.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs the executable to its end with <paramref name="standardInput"/> (UTF-8) as its stdin.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunWithInputAsync(string? standardInput, params string[] args) =>
        RunAsync(standardInput, new Dictionary<string, string>(), args);

    /// <summary>Runs the executable to its end with <paramref name="environment"/> added to its environment.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(null, environment, args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string? standardInput, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var info = StartInfo(args, environment);
        info.RedirectStandardInput = standardInput is not null;
        info.StandardInputEncoding = standardInput is null ? null : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mergepoints {string.Join(' ', args)} did not exit; it printed: {await output}");
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts <c>mergepoints serve</c> on a free loopback port and waits until it listens.</summary>
    public static Task<HostProcess> StartAsync(string configFile, string dataDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        LaunchAsync(["serve", "--config", configFile, "--urls", "http://127.0.0.1:0", "--data", dataDirectory], environment);

    /// <summary>
    /// Starts <c>mergepoints serve</c> without <c>--urls</c>, so that it takes a slot of the config, and waits until
    /// it listens; <see cref="Slot"/> and <see cref="Url"/> say which slot it took.
    /// </summary>
    public static Task<HostProcess> StartOnSlotAsync(string configFile, string dataDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        LaunchAsync(["serve", "--config", configFile, "--data", dataDirectory], environment);

    /// <summary>Starts <c>mergepoints worker</c> and waits until its workers run.</summary>
    public static Task<HostProcess> StartWorkerAsync(string dataDirectory, int workers, IReadOnlyDictionary<string, string>? environment = null) =>
        LaunchAsync(["worker", "--data", dataDirectory, "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture)], environment);

    private static async Task<HostProcess> LaunchAsync(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = StartInfo(args, environment);
        var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var ready = new TaskCompletionSource<(Uri?, int?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Uri? url = null;
        int? slot = null;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"mergepoints ended before it was ready: {stdout}"));
                return;
            }
            lock (stdout)
            {
                stdout.AppendLine(line.Data);
            }
            if (ListeningLine().Match(line.Data) is { Success: true } match)
            {
                url = new Uri(match.Groups[1].Value);
                slot = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            }
            // serve's summary and worker's line end with this: by then every mount line has been printed.
            if (line.Data.EndsWith("Press Ctrl+C to stop.", StringComparison.Ordinal))
            {
                ready.TrySetResult((url, slot));
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(line.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var (listening, taken) = await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new HostProcess(process, stdout, listening, taken);
    }

    /// <summary>The most memory the process has held at once (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => ReadStatusKilobytes("VmHWM") * 1024;

    /// <summary>Asks the process to stop, as systemd and docker do.</summary>
    public void Terminate() => Signal(15, "TERM");

    /// <summary>
    /// Freezes the process (SIGSTOP) until <see cref="Resume"/>: it keeps its sockets and whatever it holds but does
    /// nothing, so a test knows what it has not done yet.
    /// </summary>
    public void Pause() => Signal(19, "STOP");

    /// <summary>Lets a paused process go on (SIGCONT).</summary>
    public void Resume() => Signal(18, "CONT");

    private void Signal(int signal, string name)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill -{name} {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Kills the process outright (SIGKILL): nothing of it runs after this, no flush, no shutdown.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private long ReadStatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Executable);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return info;
    }

    [GeneratedRegex(@"^Mergepoints listening on (\S+)(?: \(slot (\d+) of )?")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
