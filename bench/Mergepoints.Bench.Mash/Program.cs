using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.IntegralTransforms;
using Mergepoints.Bench.Mash;
using Mergepoints.Mash.Engine.Analysis;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Engine.Mashing;

// Usage: Mergepoints.Bench.Mash DIR RUNS SECONDS AUBIOONSET
// A console bench with a Stopwatch, not BenchmarkDotNet: the figure wanted is one whole pipeline of seconds, decode
// to written file, with each stage inside it, and a ratio against another program run the same way; medians of a
// few runs after a warm-up settle that. BenchmarkDotNet's many invocations of microsecond methods would add minutes
// and no accuracy that matters here.
var (directory, runs, seconds, aubioonset) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), double.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
var ct = CancellationToken.None;
Directory.CreateDirectory(directory);
var (pathA, pathB, output) = (Path.Combine(directory, "a.wav"), Path.Combine(directory, "b.wav"), Path.Combine(directory, "mash.wav"));
await File.WriteAllBytesAsync(pathA, WavWriter.ToBytes(Songs.A(seconds)));
await File.WriteAllBytesAsync(pathB, WavWriter.ToBytes(Songs.B(seconds)));
Console.WriteLine($"songs: two {seconds:F0} s 44.1 kHz stereo 16-bit WAVs in {directory}; {runs} runs after one warm-up, medians");

// The FFT: ours against MathNet's, 2048 real points, power spectrum out.
const int FftSize = 2048, FftCalls = 20000;
var random = new Random(3);
var frame = Enumerable.Range(0, FftSize).Select(_ => (float)random.NextDouble()).ToArray();
var ours = new RealFft(FftSize);
var power = new float[FftSize / 2 + 1];
var work = new float[FftSize + 2];
double OurFft()
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < FftCalls; i++)
    {
        ours.PowerSpectrum(frame, power);
    }
    return watch.Elapsed.TotalMicroseconds / FftCalls;
}
double MathNetFft()
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < FftCalls; i++)
    {
        frame.CopyTo(work, 0);
        Fourier.ForwardReal(work, FftSize, FourierOptions.NoScaling);
        for (var k = 0; k <= FftSize / 2; k++)
        {
            power[k] = work[2 * k] * work[2 * k] + work[2 * k + 1] * work[2 * k + 1];
        }
    }
    return watch.Elapsed.TotalMicroseconds / FftCalls;
}
OurFft();
MathNetFft();
var (oursFft, mathNetFft) = (new List<double>(), new List<double>());
for (var i = 0; i < 5; i++)
{
    oursFft.Add(OurFft());
    mathNetFft.Add(MathNetFft());
}
Console.WriteLine($"FFT 2048 real → power: ours {Median(oursFft):F1} µs, MathNet.Numerics {Median(mathNetFft):F1} µs ({Median(mathNetFft) / Median(oursFft):F2}× ours)");

// The whole mash, decode to written file, through the public API; then the same work stage by stage.
var engine = new MashEngine();
var files = new AudioFile(new Ffmpeg("ffmpeg"));
var stages = new Dictionary<string, List<double>>();
var totals = new List<double>();
var ourAnalysis = new List<double>();
var aubio = new List<double>();
for (var run = 0; run <= runs; run++)
{
    var watch = Stopwatch.StartNew();
    await engine.MashAsync(pathA, pathB, output, new MashOptions(), null, ct);
    var total = watch.Elapsed.TotalSeconds;

    var timings = new List<(string, double)>();
    T Time<T>(string stage, Func<T> step)
    {
        var stageWatch = Stopwatch.StartNew();
        var result = step();
        timings.Add((stage, stageWatch.Elapsed.TotalSeconds));
        return result;
    }
    var a = Time("decode A", () => files.ReadAsync(pathA, ct).GetAwaiter().GetResult().Audio);
    var analysisA = Time("analyse A", () => SongAnalyzer.Analyze(a, null, ct));
    var b = Time("decode B", () => files.ReadAsync(pathB, ct).GetAwaiter().GetResult().Audio);
    var analysisB = Time("analyse B", () => SongAnalyzer.Analyze(b, null, ct));
    var match = Time("match", () => Matcher.Match(analysisA.Segments, analysisB.Segments, MashMode.Smooth, null, ct));
    var mash = Time("render", () => Renderer.Render(a, analysisA.Segments, Resampler.Convert(b, a.SampleRate, a.ChannelCount, ct), analysisB.Segments, match, new MashOptions(), null, ct));
    Time("write", () => { files.WriteAsync(mash, output, ct).GetAwaiter().GetResult(); return 0; });

    // One song's analysis, decode included, against aubioonset on the same file; alternating, the order flipping.
    double OurAnalysis()
    {
        var analysisWatch = Stopwatch.StartNew();
        SongAnalyzer.Analyze(files.ReadAsync(pathA, ct).GetAwaiter().GetResult().Audio, null, ct);
        return analysisWatch.Elapsed.TotalSeconds;
    }
    var (first, second) = run % 2 == 0 ? (OurAnalysis(), Aubio()) : (Aubio(), OurAnalysis());
    var (oursTime, aubioTime) = run % 2 == 0 ? (first, second) : (second, first);
    if (run == 0)
    {
        Console.WriteLine($"warm-up: mash {total:F3} s, {analysisA.Segments.Count} segments in A, {analysisB.Segments.Count} in B, tempo A {analysisA.Tempo:F1}, B {analysisB.Tempo:F1}");
        continue;
    }
    totals.Add(total);
    ourAnalysis.Add(oursTime);
    aubio.Add(aubioTime);
    foreach (var (stage, time) in timings)
    {
        (stages.TryGetValue(stage, out var list) ? list : stages[stage] = []).Add(time);
    }
    Console.WriteLine($"run {run}: mash {total:F3} s, analysis {oursTime:F3} s, aubioonset {aubioTime:F3} s");
}

Console.WriteLine();
Console.WriteLine("stage        median s");
foreach (var (stage, times) in stages)
{
    Console.WriteLine($"{stage,-12} {Median(times),8:F3}");
}
Console.WriteLine($"{"stages sum",-12} {stages.Values.Sum(Median),8:F3}");
Console.WriteLine();
Console.WriteLine($"whole mash (MashEngine.MashAsync, decode to written file): median {Median(totals):F3} s, goal under 3 s: {(Median(totals) < 3 ? "met" : "NOT met")}");
Console.WriteLine($"one song's analysis (decode + analysis) {Median(ourAnalysis):F3} s, aubioonset {Median(aubio):F3} s");
Console.WriteLine($"ratio analysis/aubioonset: {Median(ourAnalysis) / Median(aubio):F2} (goal at most 2)");
return 0;

double Aubio()
{
    var info = new ProcessStartInfo(aubioonset) { RedirectStandardOutput = true, UseShellExecute = false };
    info.ArgumentList.Add("-i");
    info.ArgumentList.Add(pathA);
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return process.ExitCode == 0 ? watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"aubioonset exited with {process.ExitCode}");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
