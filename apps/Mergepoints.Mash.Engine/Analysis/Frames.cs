namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// The frame-by-frame view of a song every later step reads: for each hop of 512 samples at 22,050 Hz, the
/// log-mel spectrum (for onsets), 12 MFCCs (timbre), 12 chroma bins (pitch) and the RMS level (loudness). One pass
/// of the STFT (2048-point Hann frames centred on each hop) fills them all, in parallel over blocks of frames.
/// </summary>
internal sealed class Frames
{
    public const int SampleRate = 22050;
    public const int FftSize = 2048;
    public const int Hop = 512;
    public const int MelBands = 128;
    public const int TimbreCoefficients = 12;
    public const double FramesPerSecond = (double)SampleRate / Hop;
    private const float TopDecibels = 80;
    private const int Block = 64;

    private static readonly MelFilterBank MelBank = new(MelBands, FftSize, SampleRate);
    private static readonly Mfcc Cepstrum = new(TimbreCoefficients, MelBands);
    private static readonly Chroma PitchClasses = new(FftSize, SampleRate);
    private static readonly float[] Window = Enumerable.Range(0, FftSize).Select(n => (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / FftSize))).ToArray();

    private Frames(int count)
    {
        Count = count;
        LogMel = new float[count * MelBands];
        Timbre = new float[count * TimbreCoefficients];
        Pitches = new float[count * Chroma.Classes];
        Rms = new float[count];
    }

    public int Count { get; }

    /// <summary>Frame t's 128 bands at [t·128, t·128+128), in dB, floored 80 dB under the loudest.</summary>
    public float[] LogMel { get; }

    public float[] Timbre { get; }

    public float[] Pitches { get; }

    /// <summary>RMS of samples [t·512, t·512+512): the level right at frame t's time, for loudness.</summary>
    public float[] Rms { get; }

    public static double TimeOf(int frame) => frame / FramesPerSecond;

    public static Frames Compute(float[] mono, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var frames = new Frames(1 + mono.Length / Hop);
        var blocks = (frames.Count + Block - 1) / Block;
        var done = 0;
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = cancellationToken }, () => new Scratch(), (block, _, scratch) =>
        {
            var end = Math.Min(frames.Count, (block + 1) * Block);
            for (var t = block * Block; t < end; t++)
            {
                frames.ComputeFrame(mono, t, scratch);
            }
            progress?.Report((double)Interlocked.Increment(ref done) / blocks);
            return scratch;
        }, _ => { });
        frames.FloorAndCepstrum(cancellationToken);
        return frames;
    }

    private void ComputeFrame(float[] mono, int t, Scratch scratch)
    {
        var frame = scratch.Frame;
        var start = t * Hop - FftSize / 2;
        for (var n = 0; n < FftSize; n++)
        {
            var i = start + n;
            frame[n] = i >= 0 && i < mono.Length ? mono[i] * Window[n] : 0f;
        }
        scratch.Fft.PowerSpectrum(frame, scratch.Power);
        var mel = LogMel.AsSpan(t * MelBands, MelBands);
        MelBank.Apply(scratch.Power, mel);
        for (var b = 0; b < MelBands; b++)
        {
            mel[b] = 10f * MathF.Log10(MathF.Max(mel[b], 1e-10f));
        }
        PitchClasses.Apply(scratch.Power, Pitches.AsSpan(t * Chroma.Classes, Chroma.Classes));
        var sum = 0.0;
        var rmsEnd = Math.Min(mono.Length, (t + 1) * Hop);
        for (var i = t * Hop; i < rmsEnd; i++)
        {
            sum += mono[i] * mono[i];
        }
        Rms[t] = rmsEnd > t * Hop ? (float)Math.Sqrt(sum / (rmsEnd - t * Hop)) : 0f;
    }

    // The floor needs the loudest band of the whole song, so it and the cepstrum (which reads the floored bands)
    // come after the parallel pass.
    private void FloorAndCepstrum(CancellationToken cancellationToken)
    {
        var floor = (Count == 0 ? 0 : LogMel.Max()) - TopDecibels;
        for (var i = 0; i < LogMel.Length; i++)
        {
            LogMel[i] = MathF.Max(LogMel[i], floor);
        }
        cancellationToken.ThrowIfCancellationRequested();
        for (var t = 0; t < Count; t++)
        {
            Cepstrum.Apply(LogMel.AsSpan(t * MelBands, MelBands), Timbre.AsSpan(t * TimbreCoefficients, TimbreCoefficients));
        }
    }

    private sealed class Scratch
    {
        public RealFft Fft { get; } = new(FftSize);

        public float[] Frame { get; } = new float[FftSize];

        public float[] Power { get; } = new float[FftSize / 2 + 1];
    }
}
