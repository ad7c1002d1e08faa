namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// Ellis's dynamic-programming beat tracker (Ellis 2007, as librosa has it): the tempo is the lag where the onset
/// strength best correlates with itself, weighted towards 120 BPM (a log-normal prior one octave wide); then the
/// beats are the path through the onset strength that scores highest, each step rewarded for landing on strength
/// and penalized by how far its spacing strays from the period (tightness 100).
/// </summary>
internal static class BeatTracker
{
    private const double PriorBpm = 120;
    private const double PriorOctaves = 1;
    private const double MinBpm = 30;
    private const double MaxBpm = 320;
    private const double Tightness = 100;

    /// <summary>The tempo in BPM and the beat frames, in order; no beats and tempo 0 for a song without onsets.</summary>
    public static (double Tempo, List<int> Beats) Track(float[] strength, CancellationToken cancellationToken)
    {
        var normalized = Normalize(strength);
        if (normalized is null)
        {
            return (0, []);
        }
        var period = Period(Smooth(normalized));
        cancellationToken.ThrowIfCancellationRequested();
        var local = LocalScore(normalized, period);
        var beats = Path(local, period, cancellationToken);
        return (60 * Frames.FramesPerSecond / period, Trim(beats, local));
    }

    private static double[]? Normalize(float[] strength)
    {
        if (strength.Length < 3)
        {
            return null;
        }
        var mean = strength.Average(s => (double)s);
        var std = Math.Sqrt(strength.Sum(s => (s - mean) * (s - mean)) / (strength.Length - 1));
        return std < 1e-9 ? null : strength.Select(s => s / std).ToArray();
    }

    // Clicks make one-frame spikes; a period that is not a whole number of frames then correlates worse than its
    // double, which lands on whole frames by chance. Smoothed over ±2 frames, every lag near the period scores.
    private static double[] Smooth(double[] strength)
    {
        double[] kernel = [0.06, 0.24, 0.4, 0.24, 0.06];
        var smooth = new double[strength.Length];
        for (var t = 0; t < strength.Length; t++)
        {
            for (var k = -2; k <= 2; k++)
            {
                if (t + k >= 0 && t + k < strength.Length)
                {
                    smooth[t] += strength[t + k] * kernel[k + 2];
                }
            }
        }
        return smooth;
    }

    // The best lag by autocorrelation times the prior, refined between frames by a parabola through its neighbours.
    private static double Period(double[] strength)
    {
        var minLag = Math.Max(1, (int)Math.Floor(60 * Frames.FramesPerSecond / MaxBpm));
        var maxLag = Math.Min(strength.Length - 2, (int)Math.Ceiling(60 * Frames.FramesPerSecond / MinBpm));
        if (maxLag <= minLag)
        {
            return 60 * Frames.FramesPerSecond / PriorBpm;
        }
        var score = new double[maxLag + 2];
        for (var lag = minLag - 1; lag <= maxLag + 1; lag++)
        {
            if (lag < 1 || lag >= strength.Length)
            {
                continue;
            }
            var sum = 0.0;
            for (var t = 0; t + lag < strength.Length; t++)
            {
                sum += strength[t] * strength[t + lag];
            }
            var bpm = 60 * Frames.FramesPerSecond / lag;
            var octaves = Math.Log2(bpm / PriorBpm) / PriorOctaves;
            score[lag] = sum / (strength.Length - lag) * Math.Exp(-0.5 * octaves * octaves);
        }
        var best = minLag;
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            if (score[lag] > score[best])
            {
                best = lag;
            }
        }
        var (left, centre, right) = (score[best - 1], score[best], score[best + 1]);
        var curvature = left - 2 * centre + right;
        var shift = curvature < 0 ? 0.5 * (left - right) / curvature : 0;
        return best + Math.Clamp(shift, -0.5, 0.5);
    }

    // The strength smoothed by a Gaussian of a 32nd of the period: a beat may land a little off an onset.
    private static double[] LocalScore(double[] strength, double period)
    {
        var radius = Math.Max(1, (int)Math.Round(period));
        var kernel = Enumerable.Range(-radius, 2 * radius + 1).Select(k => Math.Exp(-0.5 * Math.Pow(k * 32 / period, 2))).ToArray();
        var local = new double[strength.Length];
        for (var t = 0; t < strength.Length; t++)
        {
            var sum = 0.0;
            for (var k = -radius; k <= radius; k++)
            {
                var i = t + k;
                if (i >= 0 && i < strength.Length)
                {
                    sum += strength[i] * kernel[k + radius];
                }
            }
            local[t] = sum;
        }
        return local;
    }

    private static List<int> Path(double[] local, double period, CancellationToken cancellationToken)
    {
        var n = local.Length;
        var cumulative = new double[n];
        var backlink = new int[n];
        var (near, far) = ((int)Math.Round(period / 2), (int)Math.Round(2 * period));
        for (var t = 0; t < n; t++)
        {
            if ((t & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            var (best, link) = (0.0, -1);
            for (var previous = Math.Max(0, t - far); previous <= t - near; previous++)
            {
                var stray = Math.Log((t - previous) / period);
                var score = cumulative[previous] - Tightness * stray * stray;
                if (link < 0 || score > best)
                {
                    (best, link) = (score, previous);
                }
            }
            cumulative[t] = local[t] + (link >= 0 ? best : 0);
            backlink[t] = link;
        }
        var beats = new List<int>();
        for (var t = LastBeat(cumulative); t >= 0; t = backlink[t])
        {
            beats.Add(t);
        }
        beats.Reverse();
        return beats;
    }

    // The last local maximum of the cumulative score that reaches half the median of the local maxima.
    private static int LastBeat(double[] cumulative)
    {
        var maxima = new List<int>();
        for (var t = 1; t < cumulative.Length - 1; t++)
        {
            if (cumulative[t] > cumulative[t - 1] && cumulative[t] >= cumulative[t + 1])
            {
                maxima.Add(t);
            }
        }
        if (maxima.Count == 0)
        {
            return cumulative.Length - 1;
        }
        var sorted = maxima.Select(t => cumulative[t]).Order().ToArray();
        var median = sorted[sorted.Length / 2];
        return maxima.Last(t => cumulative[t] >= 0.5 * median);
    }

    // Beats in the silence before the first onset and after the last one are the path coasting: drop them.
    private static List<int> Trim(List<int> beats, double[] local)
    {
        if (beats.Count == 0)
        {
            return beats;
        }
        var threshold = 0.5 * Math.Sqrt(beats.Average(b => local[b] * local[b]));
        var first = beats.FindIndex(b => local[b] >= threshold);
        var last = beats.FindLastIndex(b => local[b] >= threshold);
        return first < 0 ? [] : beats.GetRange(first, last - first + 1);
    }
}
