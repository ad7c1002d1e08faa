using System.Diagnostics;
using System.Globalization;
using Mergepoints.Counter.Storage;

// Start-up of the play counter, as a ratio against the cheapest thing start-up could be: reading the same
// files once, sequentially, to nowhere. Both read from the page cache (the files were just written), so the
// ratio is the cost of parsing and rebuilding the counts, which is what this measures.
//
// Usage: Mergepoints.Bench.CounterStartup DIR [LOG_MB] [SONGS] [RUNS]   (bench/counter-startup.sh runs it)

if (args.Length is < 1 or > 4)
{
    Console.Error.WriteLine("usage: Mergepoints.Bench.CounterStartup DIR [LOG_MB=1024] [SONGS=1000000] [RUNS=5]");
    return 2;
}
var root = args[0];
var logBytes = Argument(1, 1024) << 20;
var songs = Argument(2, 1_000_000);
var runs = (int)Argument(3, 5);

var logCase = new Case("a", $"{logBytes >> 20} MB log, 100,000 songs, no snapshot", Path.Combine(root, "log"), SnapshotAfterBytes: 0);
var songsCase = new Case("b", $"{songs:N0} songs, snapshot + log tail", Path.Combine(root, "songs"), SnapshotAfterBytes: 1 << 20);

Console.WriteLine($"generating (a) {logCase.Name} ...");
await GenerateAsync(logCase, play => $"song-{play % 100_000:D6}", stop: counts => counts.Statistics.BytesWritten >= logBytes);
Console.WriteLine($"generating (b) {songsCase.Name} ...");
await GenerateAsync(songsCase, play => $"track-{play:D7}", stop: counts => counts.Get($"track-{songs - 1:D7}") > 0);

var results = new Dictionary<Case, (List<double> Open, List<double> Read, RecoveryReport Report)>();
foreach (var c in new[] { logCase, songsCase })
{
    results[c] = ([], [], RecoveryReport.Empty);
}
for (var run = 0; run < runs; run++)
{
    foreach (var c in new[] { logCase, songsCase })
    {
        // Alternate which goes first, so neither always finds the other's leftovers in the caches.
        var (open, read) = run % 2 == 0 ? (await OpenAsync(c), Read(c)) : SwapFirst(Read(c), await OpenAsync(c));
        var entry = results[c];
        entry.Open.Add(open.Seconds);
        entry.Read.Add(read);
        results[c] = (entry.Open, entry.Read, open.Report);
    }
}

Console.WriteLine();
Console.WriteLine($"{"case",-4} {"what",-44} {"files MB",9} {"records",11} {"songs",10} {"open s",8} {"read s",8} {"open/read",9}");
foreach (var (c, (open, read, report)) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{c.Label,-4} {c.Name,-44} {Files(c).Sum(f => new FileInfo(f).Length) / 1e6,9:F0} {report.ReplayedRecords,11:N0} {report.SnapshotSongs,10:N0} {Median(open),8:F3} {Median(read),8:F3} {Median(open) / Median(read),9:F1}"));
}
Console.WriteLine($"medians of {runs} runs; open = PlayCounts.OpenAsync, read = the same files read sequentially into a buffer");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ratio open/read: a {Median(results[logCase].Open) / Median(results[logCase].Read):F1}  b {Median(results[songsCase].Open) / Median(results[songsCase].Read):F1}"));
return 0;

long Argument(int index, long fallback) => args.Length > index ? long.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static (T1, T2) SwapFirst<T1, T2>(T2 second, T1 first) => (first, second);

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// Batch mode: plays are answered at once and written every few ms, so the counter's own writer makes the log
// as fast as one thread can play. Round-robin over many songs keeps a batch from coalescing plays of a song.
static async Task GenerateAsync(Case c, Func<long, string> song, Func<PlayCounts, bool> stop)
{
    var clock = Stopwatch.StartNew();
    var options = new CounterOptions { Directory = c.Directory, Durability = Durability.Batch, BatchMilliseconds = 5, SnapshotAfterBytes = c.SnapshotAfterBytes };
    var counts = await PlayCounts.OpenAsync(options, CancellationToken.None);
    for (long play = 0; ; play++)
    {
        await counts.IncrementAsync(song(play), CancellationToken.None);
        if (play % 100_000 == 0 && stop(counts))
        {
            break;
        }
    }
    await counts.DisposeAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {clock.Elapsed.TotalSeconds:F1} s, {counts.Statistics.Snapshots} snapshots"));
}

static async Task<(double Seconds, RecoveryReport Report)> OpenAsync(Case c)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var options = new CounterOptions { Directory = c.Directory, SnapshotAfterBytes = 0 };
    var clock = Stopwatch.StartNew();
    var counts = await PlayCounts.OpenAsync(options, CancellationToken.None);
    var seconds = clock.Elapsed.TotalSeconds;
    var report = counts.Recovery;
    await counts.DisposeAsync();
    return (seconds, report);
}

static double Read(Case c)
{
    GC.Collect();
    var buffer = new byte[4 << 20];
    var clock = Stopwatch.StartNew();
    foreach (var file in Files(c))
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        while (stream.Read(buffer) > 0)
        {
        }
    }
    return clock.Elapsed.TotalSeconds;
}

static string[] Files(Case c) => [.. Directory.EnumerateFiles(c.Directory, "*.bin")];

internal sealed record Case(string Label, string Name, string Directory, long SnapshotAfterBytes);
