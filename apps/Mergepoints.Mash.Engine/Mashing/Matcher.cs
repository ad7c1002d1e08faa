using Mergepoints.Mash.Engine.Analysis;

namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>
/// For each unit of A, the index of the closest-sounding unit of B (ties to the lowest index).
/// <list type="bullet">
/// <item><b>Classic</b>, as afromb: the plain squared distance over pitches, timbre and start loudness. Timbre
/// numbers run to hundreds while pitches stay within 0..1, so in practice timbre decides alone.</item>
/// <item><b>Smooth</b>: every feature is standardized over both songs' units (mean 0, deviation 1), then weighted
/// by group, each group's weight shared by its dimensions: pitches 1.0, timbre 0.6, loudness (start and max) 0.3,
/// length (log seconds) 0.3. Pitch weighs most so a melody survives; length keeps a long note from landing on a
/// click.</item>
/// </list>
/// </summary>
internal static class Matcher
{
    private const double PitchWeight = 1.0;
    private const double TimbreWeight = 0.6;
    private const double LoudnessWeight = 0.3;
    private const double LengthWeight = 0.3;

    public static int[] Match(IReadOnlyList<Segment> a, IReadOnlyList<Segment> b, MashMode mode, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (b.Count == 0)
        {
            throw new ArgumentException("song B has no units to match", nameof(b));
        }
        var (vectorsA, vectorsB) = mode == MashMode.Classic ? (a.Select(Classic).ToArray(), b.Select(Classic).ToArray()) : Smooth(a, b);
        var match = new int[a.Count];
        for (var i = 0; i < a.Count; i++)
        {
            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report((double)i / a.Count);
            }
            var (best, bestDistance) = (0, double.PositiveInfinity);
            var x = vectorsA[i];
            for (var j = 0; j < vectorsB.Length; j++)
            {
                var y = vectorsB[j];
                var distance = 0.0;
                for (var k = 0; k < x.Length; k++)
                {
                    var d = x[k] - y[k];
                    distance += d * d;
                }
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (j, distance);
                }
            }
            match[i] = best;
        }
        progress?.Report(1);
        return match;
    }

    private static double[] Classic(Segment s) => [.. s.Pitches.Select(p => (double)p), .. s.Timbre.Select(t => (double)t), s.LoudnessStart];

    private static double[] Raw(Segment s) =>
        [.. s.Pitches.Select(p => (double)p), .. s.Timbre.Select(t => (double)t), s.LoudnessStart, s.LoudnessMax, Math.Log(Math.Max(s.Duration, 1e-3))];

    private static (double[][] A, double[][] B) Smooth(IReadOnlyList<Segment> a, IReadOnlyList<Segment> b)
    {
        var rawA = a.Select(Raw).ToArray();
        var rawB = b.Select(Raw).ToArray();
        var all = rawA.Concat(rawB).ToArray();
        var dimensions = all[0].Length;
        var pitches = a.Count > 0 ? a[0].Pitches.Count : b[0].Pitches.Count;
        var timbre = b[0].Timbre.Count;
        var scale = new double[dimensions];
        var mean = new double[dimensions];
        for (var k = 0; k < dimensions; k++)
        {
            mean[k] = all.Average(v => v[k]);
            var deviation = Math.Sqrt(all.Average(v => (v[k] - mean[k]) * (v[k] - mean[k])));
            var weight = k < pitches ? PitchWeight / pitches
                : k < pitches + timbre ? TimbreWeight / timbre
                : k < dimensions - 1 ? LoudnessWeight / 2
                : LengthWeight;
            // Scaled by √weight, the squared distance between vectors is the weighted sum of squared z-scores.
            scale[k] = deviation < 1e-9 ? 0 : Math.Sqrt(weight) / deviation;
        }
        double[] Standardize(double[] v) => v.Select((x, k) => (x - mean[k]) * scale[k]).ToArray();
        return (rawA.Select(Standardize).ToArray(), rawB.Select(Standardize).ToArray());
    }
}
