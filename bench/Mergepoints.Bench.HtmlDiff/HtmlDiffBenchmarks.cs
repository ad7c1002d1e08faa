using BenchmarkDotNet.Attributes;
using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.Bench.HtmlDiff;

/// <summary>
/// Our side of bench/htmldiff.sh: one diff of each pair, timed with its allocations. The pairs are read from
/// the files <c>generate</c> wrote (MERGEPOINTS_BENCH_DOCS), the same bytes the peer diffs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class HtmlDiffBenchmarks
{
    private string oldHtml = "";
    private string newHtml = "";

    [Params("10KB", "100KB", "1MB", "10MB", "dissimilar-100KB")]
    public string Pair { get; set; } = "";

    [GlobalSetup]
    public void Load()
    {
        var directory = Environment.GetEnvironmentVariable("MERGEPOINTS_BENCH_DOCS")
            ?? throw new InvalidOperationException("MERGEPOINTS_BENCH_DOCS must name the directory 'generate' wrote");
        oldHtml = File.ReadAllText(Path.Combine(directory, Pair + ".old.html"));
        newHtml = File.ReadAllText(Path.Combine(directory, Pair + ".new.html"));
    }

    [Benchmark]
    public HtmlDiffResult Diff() => HtmlDiffer.Diff(oldHtml, newHtml);
}
