using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// Reads RIFF/WAVE files: PCM 8/16/24/32-bit and 32-bit float, plain or WAVE_FORMAT_EXTENSIBLE, any channel count
/// up to 8 and any sample rate. Written by hand because the usual .NET readers (NAudio, NLayer) are not in our
/// package source, and WAV is a small format: a header, a format chunk, a data chunk.
/// </summary>
/// <remarks>
/// The reader works on the file's bytes already in memory and checks every declared size against them, so a
/// truncated or hostile file is an <see cref="AudioFormatException"/>, never an out-of-range read, and a data
/// chunk that claims gigabytes allocates no more than the file really holds.
/// </remarks>
public static class WavReader
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;
    private const uint StreamedSize = uint.MaxValue;
    private const int MaxChannels = 8;
    private const int MinSampleRate = 1000;
    private const int MaxSampleRate = 768_000;

    /// <summary>True when <paramref name="file"/> starts as a WAV file does (RIFF....WAVE).</summary>
    public static bool LooksLikeWav(ReadOnlySpan<byte> file) =>
        file.Length >= 12 && file[..4].SequenceEqual("RIFF"u8) && file.Slice(8, 4).SequenceEqual("WAVE"u8);

    /// <summary>Decodes a whole WAV file.</summary>
    /// <exception cref="AudioFormatException">The bytes are not a WAV file this reader can decode.</exception>
    public static AudioBuffer Read(ReadOnlySpan<byte> file)
    {
        if (!LooksLikeWav(file))
        {
            throw new AudioFormatException("not a WAV file: it does not start with a RIFF/WAVE header");
        }
        Format? format = null;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4));
            var body = position + 8;
            var available = file.Length - body;
            if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new AudioFormatException("corrupt WAV file: the data chunk comes before the fmt chunk");
                }
                // A writer that streamed to a pipe could not go back to fill in the size: the data runs to the end.
                if (size != StreamedSize && size > available)
                {
                    throw new AudioFormatException($"truncated WAV file: the data chunk declares {size} bytes but only {available} follow");
                }
                var length = size == StreamedSize ? available : (int)size;
                return Decode(file.Slice(body, length), format.Value);
            }
            if (size > available)
            {
                throw new AudioFormatException($"truncated WAV file: the '{Name(id)}' chunk declares {size} bytes but only {available} follow");
            }
            if (id.SequenceEqual("fmt "u8))
            {
                format = ParseFormat(file.Slice(body, (int)size));
            }
            position = body + (int)size + (int)(size & 1);
        }
        throw new AudioFormatException(format is null ? "truncated WAV file: no fmt chunk" : "truncated WAV file: no data chunk");
    }

    private static Format ParseFormat(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length < 16)
        {
            throw new AudioFormatException($"corrupt WAV file: the fmt chunk is {chunk.Length} bytes, at least 16 are needed");
        }
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
        if (tag == FormatExtensible)
        {
            if (chunk.Length < 26)
            {
                throw new AudioFormatException("corrupt WAV file: an extensible fmt chunk without its sub-format");
            }
            tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]);
        }
        if (channels is < 1 or > MaxChannels)
        {
            throw new AudioFormatException($"unsupported WAV file: {channels} channels (1 to {MaxChannels} are read)");
        }
        if (sampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw new AudioFormatException($"unsupported WAV file: a sample rate of {sampleRate} Hz");
        }
        var sampleFormat = (tag, bits) switch
        {
            (FormatPcm, 8) => WavSampleFormat.Pcm8,
            (FormatPcm, 16) => WavSampleFormat.Pcm16,
            (FormatPcm, 24) => WavSampleFormat.Pcm24,
            (FormatPcm, 32) => WavSampleFormat.Pcm32,
            (FormatFloat, 32) => WavSampleFormat.IeeeFloat,
            (FormatPcm, _) => throw new AudioFormatException($"unsupported WAV file: {bits}-bit PCM (8, 16, 24 and 32 are read)"),
            (FormatFloat, _) => throw new AudioFormatException($"unsupported WAV file: {bits}-bit float (32 is read)"),
            _ => throw new AudioFormatException($"unsupported WAV file: format tag {tag} (PCM and float are read)"),
        };
        if (blockAlign != channels * bits / 8)
        {
            throw new AudioFormatException($"corrupt WAV file: a block of {blockAlign} bytes for {channels} channels of {bits} bits");
        }
        return new Format(sampleFormat, channels, (int)sampleRate, blockAlign);
    }

    private static AudioBuffer Decode(ReadOnlySpan<byte> data, Format format)
    {
        // A partial last frame (a writer cut short mid-sample) is dropped, as players do.
        var frames = data.Length / format.BlockAlign;
        var channels = new float[format.Channels][];
        for (var c = 0; c < channels.Length; c++)
        {
            channels[c] = new float[frames];
        }
        data = data[..(frames * format.BlockAlign)];
        var n = format.Channels;
        switch (format.SampleFormat)
        {
            case WavSampleFormat.Pcm8:
                for (var i = 0; i < data.Length; i++)
                {
                    channels[i % n][i / n] = (data[i] - 128) / 128f;
                }
                break;
            case WavSampleFormat.Pcm16:
                var shorts = MemoryMarshal.Cast<byte, short>(data);
                for (var i = 0; i < shorts.Length; i++)
                {
                    channels[i % n][i / n] = (BitConverter.IsLittleEndian ? shorts[i] : BinaryPrimitives.ReverseEndianness(shorts[i])) / 32768f;
                }
                break;
            case WavSampleFormat.Pcm24:
                for (var i = 0; i < data.Length / 3; i++)
                {
                    var value = (data[3 * i] | (data[3 * i + 1] << 8) | (data[3 * i + 2] << 16)) << 8 >> 8;
                    channels[i % n][i / n] = value / 8388608f;
                }
                break;
            case WavSampleFormat.Pcm32:
                for (var i = 0; i < data.Length / 4; i++)
                {
                    channels[i % n][i / n] = (float)(BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]) / 2147483648.0);
                }
                break;
            case WavSampleFormat.IeeeFloat:
                for (var i = 0; i < data.Length / 4; i++)
                {
                    var value = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                    channels[i % n][i / n] = float.IsFinite(value) ? value : 0f;
                }
                break;
        }
        return new AudioBuffer(channels, format.SampleRate);
    }

    private static string Name(ReadOnlySpan<byte> id)
    {
        var name = Encoding.ASCII.GetString(id);
        return name.All(c => c is >= ' ' and <= '~') ? name : "?";
    }

    private readonly record struct Format(WavSampleFormat SampleFormat, int Channels, int SampleRate, int BlockAlign);
}
