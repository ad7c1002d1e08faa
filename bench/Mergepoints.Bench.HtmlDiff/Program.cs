using System.Diagnostics;
using BenchmarkDotNet.Running;
using Mergepoints.Bench.HtmlDiff;
using Mergepoints.HtmlDiff.Diffing;

// generate DIR: write the pairs (NAME.old.html, NAME.new.html) for both sides of the bench.
// quick DIR:    one timed diff of each pair, no BenchmarkDotNet (a look while working, not a figure).
// otherwise:    BenchmarkDotNet's arguments (bench/htmldiff.sh passes --filter '*' and an artifacts path).
if (args is ["generate", var directory])
{
    Directory.CreateDirectory(directory);
    foreach (var pair in BenchDocuments.All())
    {
        File.WriteAllText(Path.Combine(directory, pair.Name + ".old.html"), pair.Old);
        File.WriteAllText(Path.Combine(directory, pair.Name + ".new.html"), pair.New);
        Console.WriteLine($"{pair.Name}: {pair.Old.Length:N0} and {pair.New.Length:N0} characters");
    }
    return 0;
}
if (args is ["quick", var docs])
{
    foreach (var pair in BenchDocuments.All())
    {
        var oldHtml = File.ReadAllText(Path.Combine(docs, pair.Name + ".old.html"));
        var newHtml = File.ReadAllText(Path.Combine(docs, pair.Name + ".new.html"));
        var times = new List<double>();
        HtmlDiffResult? result = null;
        for (var run = 0; run < 7; run++)
        {
            var clock = Stopwatch.StartNew();
            result = HtmlDiffer.Diff(oldHtml, newHtml);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"{pair.Name}: median {times[3]:F1} ms, min {times[0]:F1} ms, {result!.Changes.Count} changes, coarse {result.Coarse}");
    }
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(HtmlDiffBenchmarks).Assembly).Run(args);
return 0;
