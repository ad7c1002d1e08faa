using Mergepoints.Mash.Engine.Analysis;
using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>
/// Builds the mash slot by slot: each unit of A is a slot; its matched unit of B is placed at the slot's start,
/// cut at the slot's end or followed by silence, shaped by A's loudness envelope, and mixed as Mix·B + (1 − Mix)·A.
/// <list type="bullet">
/// <item><b>Classic</b> shapes B with afromb's absolute envelope (from A's start level up to its loudest, then down
/// to the next slot's start level), cuts hard, and lets the last slot's B unit play out whole: that is the classic
/// tail, the output being longer than A by what of it passes A's end. Samples beyond full scale are clipped when
/// written (afromb wrapped around in 16-bit integers; that is not kept).</item>
/// <item><b>Smooth</b> first brings B's unit to a peak level of 0 dB (at most +12 dB) so the envelope really is A's
/// loudness, fades B in and out over 5 ms at both ends of its piece so no slot edge clicks, ends exactly at A's end,
/// and runs the <see cref="Limiter"/> over the mix.</item>
/// </list>
/// </summary>
internal static class Renderer
{
    private const double FadeSeconds = 0.005;
    private const double MaxSmoothGain = 4;

    // b is song B already at A's sample rate and channel count.
    public static AudioBuffer Render(
        AudioBuffer a, IReadOnlyList<Segment> unitsA, AudioBuffer b, IReadOnlyList<Segment> unitsB, int[] match, MashOptions options,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var rate = a.SampleRate;
        var classic = options.Mode == MashMode.Classic;
        var slots = Slots(unitsA, a.Length, rate);
        var lastPiece = unitsA.Count == 0 ? 0 : Piece(unitsB[match[^1]], b, rate).Length;
        var tail = classic && unitsA.Count > 0 ? Math.Max(0, lastPiece - (slots[^1].End - slots[^1].Start)) : 0;
        var output = Enumerable.Range(0, a.ChannelCount).Select(_ => new float[a.Length + tail]).ToArray();
        var mix = (float)options.Mix;
        for (var c = 0; c < a.ChannelCount; c++)
        {
            var source = a.Channels[c];
            for (var i = 0; i < source.Length; i++)
            {
                output[c][i] = (1 - mix) * source[i];
            }
        }
        var gain = Array.Empty<float>();
        for (var i = 0; i < unitsA.Count; i++)
        {
            if ((i & 31) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report((double)i / unitsA.Count);
            }
            var (start, end) = slots[i];
            var unitB = unitsB[match[i]];
            var piece = Piece(unitB, b, rate);
            var length = i == unitsA.Count - 1 && classic ? piece.Length : Math.Min(piece.Length, end - start);
            if (gain.Length < length)
            {
                gain = new float[length];
            }
            var envelope = gain.AsSpan(0, length);
            envelope.Fill(1f);
            if (options.Envelope)
            {
                var next = i + 1 < unitsA.Count ? Linear(unitsA[i + 1].LoudnessStart) : 0;
                Envelope(envelope, unitsA[i], next, rate);
                if (!classic)
                {
                    Scale(envelope, (float)Math.Min(MaxSmoothGain, 1 / Linear(unitB.LoudnessMax)));
                }
            }
            if (!classic)
            {
                Fade(envelope, Math.Min((int)(FadeSeconds * rate), length / 2));
            }
            for (var c = 0; c < a.ChannelCount; c++)
            {
                var from = b.Channels[c].AsSpan(piece.Start, length);
                var to = output[c].AsSpan(start, length);
                for (var n = 0; n < length; n++)
                {
                    to[n] += mix * envelope[n] * from[n];
                }
            }
        }
        if (!classic)
        {
            Limiter.Apply(output, rate, cancellationToken);
        }
        progress?.Report(1);
        return new AudioBuffer(output, rate);
    }

    private static (int Start, int End)[] Slots(IReadOnlyList<Segment> units, int length, int rate)
    {
        var starts = units.Select(u => Math.Clamp((int)Math.Round(u.Start * rate), 0, length)).ToArray();
        return starts.Select((s, i) => (s, i + 1 < starts.Length ? Math.Max(s, starts[i + 1]) : length)).ToArray();
    }

    private static (int Start, int Length) Piece(Segment unit, AudioBuffer b, int rate)
    {
        var start = Math.Clamp((int)Math.Round(unit.Start * rate), 0, b.Length);
        var end = Math.Clamp((int)Math.Round((unit.Start + unit.Duration) * rate), start, b.Length);
        return (start, end - start);
    }

    private static double Linear(double decibels) => Math.Pow(10, decibels / 20);

    // afromb's envelope: linear from the start level to the loudest at its time, then to the next slot's start level.
    private static void Envelope(Span<float> gain, Segment slot, double next, int rate)
    {
        var (start, loudest) = (Linear(slot.LoudnessStart), Linear(slot.LoudnessMax));
        var peak = Math.Min(gain.Length, (int)(slot.LoudnessMaxTime * rate));
        for (var n = 0; n < peak; n++)
        {
            gain[n] = (float)(start + (loudest - start) * n / peak);
        }
        var fall = gain.Length - peak;
        for (var n = 0; n < fall; n++)
        {
            gain[peak + n] = (float)(loudest + (next - loudest) * (n + 1) / fall);
        }
    }

    private static void Scale(Span<float> gain, float factor)
    {
        for (var n = 0; n < gain.Length; n++)
        {
            gain[n] *= factor;
        }
    }

    // Raised-cosine ramps at both ends of the piece: B starts and stops at zero, wherever the slot cuts it.
    private static void Fade(Span<float> gain, int length)
    {
        for (var n = 0; n < length; n++)
        {
            var ramp = (float)(0.5 - 0.5 * Math.Cos(Math.PI * (n + 0.5) / length));
            gain[n] *= ramp;
            gain[^(n + 1)] *= ramp;
        }
    }
}
