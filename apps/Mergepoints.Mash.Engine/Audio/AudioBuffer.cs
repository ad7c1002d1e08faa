namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// Decoded audio as one float array per channel (full scale ±1): planar, because every stage (downmix, analysis,
/// rendering) walks one channel at a time, and floats, so mixing never wraps around as 16-bit integers did.
/// </summary>
public sealed class AudioBuffer
{
    /// <summary>Audio of equally long <paramref name="channels"/> at <paramref name="sampleRate"/> Hz.</summary>
    public AudioBuffer(float[][] channels, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentOutOfRangeException.ThrowIfZero(channels.Length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (channels.Any(c => c.Length != channels[0].Length))
        {
            throw new ArgumentException("every channel must be as long as the first", nameof(channels));
        }
        Channels = channels;
        SampleRate = sampleRate;
    }

    /// <summary>The samples, one array per channel.</summary>
    public IReadOnlyList<float[]> Channels { get; }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>Samples per channel.</summary>
    public int Length => Channels[0].Length;

    /// <summary>How many channels (1 mono, 2 stereo).</summary>
    public int ChannelCount => Channels.Count;

    /// <summary>The length in seconds.</summary>
    public double Duration => (double)Length / SampleRate;

    /// <summary>Silence of <paramref name="length"/> samples in <paramref name="channelCount"/> channels.</summary>
    public static AudioBuffer Silence(int channelCount, int length, int sampleRate) =>
        new(Enumerable.Range(0, channelCount).Select(_ => new float[length]).ToArray(), sampleRate);
}
