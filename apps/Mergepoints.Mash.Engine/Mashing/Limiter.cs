namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>
/// A look-ahead peak limiter: no sample leaves beyond full scale, and the gain moves smoothly instead of clipping.
/// The gain each sample needs (1, or 1/|peak across channels| above full scale) is held as a running minimum from
/// 5 ms before to 60 ms after it, then averaged over 5 ms. Every sample of that average window is itself a minimum
/// over a span containing the sample, so the smoothed gain never exceeds what the sample needs.
/// </summary>
internal static class Limiter
{
    private const double Ceiling = 1.0;
    private const double AttackSeconds = 0.005;
    private const double ReleaseSeconds = 0.060;

    public static void Apply(float[][] channels, int sampleRate, CancellationToken cancellationToken)
    {
        var length = channels[0].Length;
        var needed = new float[length];
        var any = false;
        for (var i = 0; i < length; i++)
        {
            var peak = 0f;
            foreach (var channel in channels)
            {
                peak = MathF.Max(peak, MathF.Abs(channel[i]));
            }
            needed[i] = peak > Ceiling ? (float)(Ceiling / peak) : 1f;
            any |= peak > Ceiling;
        }
        if (!any)
        {
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var attack = Math.Max(1, (int)(AttackSeconds * sampleRate));
        var held = RunningMinimum(needed, attack, (int)(ReleaseSeconds * sampleRate));
        var half = attack / 2;
        var prefix = new double[length + 1];
        for (var i = 0; i < length; i++)
        {
            prefix[i + 1] = prefix[i] + held[i];
        }
        for (var i = 0; i < length; i++)
        {
            var (from, to) = (Math.Max(0, i - half), Math.Min(length, i + half + 1));
            var gain = (float)Math.Min((prefix[to] - prefix[from]) / (to - from), needed[i]);
            foreach (var channel in channels)
            {
                channel[i] *= gain;
            }
        }
    }

    // held[k] = min(values[k - behind .. k + ahead]), by a monotonic deque: O(n) whatever the window.
    private static float[] RunningMinimum(float[] values, int ahead, int behind)
    {
        var held = new float[values.Length];
        var window = new int[values.Length];
        var (head, tail) = (0, 0);
        var next = 0;
        for (var k = 0; k < values.Length; k++)
        {
            for (; next < values.Length && next <= k + ahead; next++)
            {
                while (tail > head && values[window[tail - 1]] >= values[next])
                {
                    tail--;
                }
                window[tail++] = next;
            }
            while (window[head] < k - behind)
            {
                head++;
            }
            held[k] = values[window[head]];
        }
        return held;
    }
}
