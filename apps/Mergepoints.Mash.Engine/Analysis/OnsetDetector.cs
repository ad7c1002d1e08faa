namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// Onsets as librosa finds them: spectral flux on the log-mel frames (the mean rise over the bands from one frame
/// to the next) and peak picking on it: a frame is an onset when it is the local maximum of ±1 frame, stands
/// <see cref="Delta"/> above the mean of the 100 ms around it, and comes at least 30 ms after the last onset.
/// </summary>
internal static class OnsetDetector
{
    /// <summary>
    /// How much later than its frame's centre a sound starts when the flux first jumps for it: a centred 2048-point
    /// frame hears a sound once it is a few hundred samples inside the frame's right half. Measured on clicks at
    /// random times (OnsetDetectorTests); added to every onset and beat time.
    /// </summary>
    public const double Latency = 0.031;

    private const double Delta = 0.07;
    private const int PreMax = 1;
    private const int PostMax = 1;
    private const int PreAverage = 4;
    private const int PostAverage = 5;
    private const int Wait = 1;

    public static float[] Strength(Frames frames)
    {
        var bands = Frames.MelBands;
        var strength = new float[frames.Count];
        var mel = frames.LogMel;
        for (var t = 1; t < frames.Count; t++)
        {
            var sum = 0f;
            var current = mel.AsSpan(t * bands, bands);
            var previous = mel.AsSpan((t - 1) * bands, bands);
            for (var b = 0; b < bands; b++)
            {
                sum += MathF.Max(0f, current[b] - previous[b]);
            }
            strength[t] = sum / bands;
        }
        return strength;
    }

    /// <summary>The frames where onsets are, in order.</summary>
    public static List<int> Detect(float[] strength)
    {
        var onsets = new List<int>();
        if (strength.Length == 0)
        {
            return onsets;
        }
        var (min, max) = (strength.Min(), strength.Max());
        if (max - min <= 1e-6f)
        {
            return onsets;
        }
        var normalized = strength.Select(s => (s - min) / (max - min)).ToArray();
        var last = -Wait - 1;
        for (var t = 0; t < normalized.Length; t++)
        {
            var value = normalized[t];
            if (t - last <= Wait || !IsLocalMaximum(normalized, t))
            {
                continue;
            }
            var (from, to) = (Math.Max(0, t - PreAverage), Math.Min(normalized.Length, t + PostAverage + 1));
            var mean = 0f;
            for (var i = from; i < to; i++)
            {
                mean += normalized[i];
            }
            if (value >= mean / (to - from) + Delta)
            {
                onsets.Add(t);
                last = t;
            }
        }
        return onsets;
    }

    private static bool IsLocalMaximum(float[] values, int t)
    {
        var (from, to) = (Math.Max(0, t - PreMax), Math.Min(values.Length, t + PostMax + 1));
        for (var i = from; i < to; i++)
        {
            if (values[i] > values[t])
            {
                return false;
            }
        }
        return true;
    }
}
