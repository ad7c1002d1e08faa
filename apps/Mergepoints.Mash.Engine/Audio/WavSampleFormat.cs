namespace Mergepoints.Mash.Engine.Audio;

/// <summary>How a WAV file stores its samples: what the reader accepts and the writer can produce.</summary>
public enum WavSampleFormat
{
    /// <summary>Unsigned 8-bit PCM (silence at 128).</summary>
    Pcm8,

    /// <summary>Signed 16-bit PCM: what the engine writes, as CD audio is.</summary>
    Pcm16,

    /// <summary>Signed 24-bit PCM.</summary>
    Pcm24,

    /// <summary>Signed 32-bit PCM.</summary>
    Pcm32,

    /// <summary>IEEE 32-bit float, full scale ±1.</summary>
    IeeeFloat,
}
