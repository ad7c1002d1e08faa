using System.Buffers.Binary;

namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// Writes RIFF/WAVE files. Hand-written for the same reason as <see cref="WavReader"/>: no WAV library is in our
/// package source, and the format is a 44-byte header before the samples. Samples beyond full scale are clipped,
/// never wrapped around.
/// </summary>
public static class WavWriter
{
    private const int HeaderBytes = 44;

    /// <summary>Writes <paramref name="audio"/> as a WAV file; 16-bit PCM unless <paramref name="format"/> says otherwise.</summary>
    public static async Task WriteAsync(AudioBuffer audio, Stream output, WavSampleFormat format = WavSampleFormat.Pcm16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(output);
        var bytes = ToBytes(audio, format);
        await output.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>The whole WAV file of <paramref name="audio"/> in memory.</summary>
    public static byte[] ToBytes(AudioBuffer audio, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var sampleBytes = format switch
        {
            WavSampleFormat.Pcm8 => 1,
            WavSampleFormat.Pcm16 => 2,
            WavSampleFormat.Pcm24 => 3,
            _ => 4,
        };
        var channels = audio.ChannelCount;
        var blockAlign = channels * sampleBytes;
        var dataBytes = (long)audio.Length * blockAlign;
        if (dataBytes + HeaderBytes - 8 > uint.MaxValue)
        {
            throw new AudioFormatException("the audio is too long for a WAV file (over 4 GiB)");
        }
        var file = new byte[HeaderBytes + dataBytes];
        var header = file.AsSpan();
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(dataBytes + HeaderBytes - 8));
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], (ushort)(format == WavSampleFormat.IeeeFloat ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)audio.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(audio.SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], (ushort)(sampleBytes * 8));
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        var data = file.AsSpan(HeaderBytes);
        for (var c = 0; c < channels; c++)
        {
            var samples = audio.Channels[c];
            for (var i = 0; i < samples.Length; i++)
            {
                var at = data[((i * channels + c) * sampleBytes)..];
                var x = Math.Clamp(samples[i], -1f, 1f);
                switch (format)
                {
                    case WavSampleFormat.Pcm8:
                        at[0] = (byte)Math.Clamp(MathF.Round(x * 128f) + 128, 0, 255);
                        break;
                    case WavSampleFormat.Pcm16:
                        BinaryPrimitives.WriteInt16LittleEndian(at, (short)Math.Clamp(MathF.Round(x * 32768f), short.MinValue, short.MaxValue));
                        break;
                    case WavSampleFormat.Pcm24:
                        var v24 = (int)Math.Clamp(Math.Round(x * 8388608.0), -8388608, 8388607);
                        at[0] = (byte)v24;
                        at[1] = (byte)(v24 >> 8);
                        at[2] = (byte)(v24 >> 16);
                        break;
                    case WavSampleFormat.Pcm32:
                        BinaryPrimitives.WriteInt32LittleEndian(at, (int)Math.Clamp(Math.Round(x * 2147483648.0), int.MinValue, int.MaxValue));
                        break;
                    default:
                        BinaryPrimitives.WriteSingleLittleEndian(at, samples[i]);
                        break;
                }
            }
        }
        return file;
    }
}
