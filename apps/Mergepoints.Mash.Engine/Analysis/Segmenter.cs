namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// Cuts a song into contiguous segments from 0 at the given boundaries (onsets or beats), merging any shorter than
/// 60 ms into the one before, and describes each from the frames it covers.
/// </summary>
internal static class Segmenter
{
    public const double MinimumDuration = 0.060;
    private const double LoudnessFloor = -60;

    public static List<Segment> Cut(Frames frames, IEnumerable<double> boundaries, double duration)
    {
        var starts = new List<double> { 0 };
        foreach (var time in boundaries.Order())
        {
            if (time - starts[^1] >= MinimumDuration && duration - time >= MinimumDuration)
            {
                starts.Add(time);
            }
        }
        var segments = new List<Segment>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1] : duration;
            segments.Add(Describe(frames, starts[i], end));
        }
        return segments;
    }

    private static Segment Describe(Frames frames, double start, double end)
    {
        var first = Math.Clamp((int)Math.Round(start * Frames.FramesPerSecond), 0, frames.Count - 1);
        var last = Math.Clamp((int)Math.Round(end * Frames.FramesPerSecond), first + 1, frames.Count);
        var timbre = Average(frames.Timbre, Frames.TimbreCoefficients, first, last);
        var pitches = Average(frames.Pitches, Chroma.Classes, first, last);
        var strongest = pitches.Max();
        for (var i = 0; i < pitches.Length; i++)
        {
            pitches[i] = strongest > 0 ? pitches[i] / strongest : 0;
        }
        var loudest = first;
        for (var t = first; t < last; t++)
        {
            loudest = frames.Rms[t] > frames.Rms[loudest] ? t : loudest;
        }
        return new Segment(
            start,
            end - start,
            timbre,
            pitches,
            Decibels(frames.Rms[first]),
            Decibels(frames.Rms[loudest]),
            Math.Max(0, Frames.TimeOf(loudest) - start));
    }

    private static float[] Average(float[] values, int width, int first, int last)
    {
        var sum = new float[width];
        for (var t = first; t < last; t++)
        {
            for (var i = 0; i < width; i++)
            {
                sum[i] += values[t * width + i];
            }
        }
        for (var i = 0; i < width; i++)
        {
            sum[i] /= last - first;
        }
        return sum;
    }

    public static double Decibels(double rms) => rms <= 0 ? LoudnessFloor : Math.Max(LoudnessFloor, 20 * Math.Log10(rms));
}
