using System.Buffers.Binary;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Engine.Tests.Audio;

public sealed class WavReaderTests
{
    private static AudioBuffer Stereo(int rate) =>
        new([Synth.Sine(440, 0.05, rate, 0.7), Synth.Sine(660, 0.05, rate, -0.4)], rate);

    [Theory]
    [InlineData(WavSampleFormat.Pcm8, 1, 8000, 1.0 / 64)]
    [InlineData(WavSampleFormat.Pcm8, 2, 11025, 1.0 / 64)]
    [InlineData(WavSampleFormat.Pcm16, 1, 22050, 1.0 / 16384)]
    [InlineData(WavSampleFormat.Pcm16, 2, 44100, 1.0 / 16384)]
    [InlineData(WavSampleFormat.Pcm24, 2, 48000, 1.0 / 4_000_000)]
    [InlineData(WavSampleFormat.Pcm32, 1, 96000, 1e-7)]
    [InlineData(WavSampleFormat.Pcm32, 2, 44100, 1e-7)]
    [InlineData(WavSampleFormat.IeeeFloat, 2, 32000, 0)]
    public void Every_format_round_trips_within_its_resolution(WavSampleFormat format, int channels, int rate, double tolerance)
    {
        var original = channels == 1 ? new AudioBuffer([Synth.Sine(440, 0.05, rate, 0.7)], rate) : Stereo(rate);

        var read = WavReader.Read(WavWriter.ToBytes(original, format));

        Assert.Equal((original.SampleRate, original.ChannelCount, original.Length), (read.SampleRate, read.ChannelCount, read.Length));
        for (var c = 0; c < channels; c++)
        {
            var worst = original.Channels[c].Zip(read.Channels[c], (x, y) => Math.Abs(x - y)).Max();
            Assert.True(worst <= tolerance, $"channel {c}: off by {worst}");
        }
    }

    [Fact]
    public void Samples_beyond_full_scale_are_clipped_not_wrapped()
    {
        var loud = new AudioBuffer([[1.5f, -1.5f, 0.25f]], 8000);

        var read = WavReader.Read(WavWriter.ToBytes(loud));

        Assert.True(read.Channels[0][0] > 0.999f);
        Assert.Equal(-1f, read.Channels[0][1]);
        Assert.Equal(0.25f, read.Channels[0][2]);
    }

    [Fact]
    public void An_extensible_header_is_read_by_its_sub_format()
    {
        var plain = WavWriter.ToBytes(Stereo(44100));
        // The same file with a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format is PCM.
        var fmt = new byte[40];
        plain.AsSpan(20, 16).CopyTo(fmt);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), 1);
        var file = Concat(plain[..12], "fmt "u8.ToArray(), Le32(40), fmt, plain[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));

        var read = WavReader.Read(file);

        Assert.Equal(WavReader.Read(plain).Channels[1], read.Channels[1]);
    }

    [Fact]
    public void Chunks_before_the_data_are_skipped()
    {
        var plain = WavWriter.ToBytes(Stereo(22050));
        var file = Concat(plain[..36], "LIST"u8.ToArray(), Le32(3), [1, 2, 3, 0], plain[36..]);

        Assert.Equal(WavReader.Read(plain).Channels[0], WavReader.Read(file).Channels[0]);
    }

    [Fact]
    public void A_file_cut_at_any_point_is_a_format_error()
    {
        var file = WavWriter.ToBytes(new AudioBuffer([[0.1f, 0.2f, 0.3f, 0.4f]], 8000));

        for (var length = 0; length < file.Length; length++)
        {
            var cut = file[..length];
            var error = Assert.Throws<AudioFormatException>(() => WavReader.Read(cut));
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Fact]
    public void Random_bytes_are_a_format_error_or_audio_never_a_crash()
    {
        var random = new Random(7);
        var header = WavWriter.ToBytes(new AudioBuffer([[0f]], 8000))[..12];
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                bytes = Concat(header, bytes);
            }
            try
            {
                WavReader.Read(bytes);
            }
            catch (AudioFormatException)
            {
            }
        }
    }

    [Fact]
    public void Random_damage_to_a_real_file_is_a_format_error_or_audio_never_a_crash()
    {
        var random = new Random(11);
        var file = WavWriter.ToBytes(Stereo(8000));
        for (var i = 0; i < 2000; i++)
        {
            var damaged = (byte[])file.Clone();
            damaged[random.Next(0, 48)] = (byte)random.Next(256);
            try
            {
                WavReader.Read(damaged);
            }
            catch (AudioFormatException)
            {
            }
        }
    }

    [Theory]
    [InlineData(40, 0x7FFF_FFF0u)]
    [InlineData(40, 0xFFFF_FFFEu)]
    [InlineData(16, 0x7FFF_FFF0u)]
    public void A_huge_declared_size_is_a_truncation_error_without_allocating_it(int sizeOffset, uint size)
    {
        var file = WavWriter.ToBytes(Stereo(8000));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(sizeOffset), size);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<AudioFormatException>(() => WavReader.Read(file));

        Assert.StartsWith("truncated WAV file", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Theory]
    [InlineData(1, 12, "unsupported WAV file: 12-bit PCM (8, 16, 24 and 32 are read)")]
    [InlineData(2, 4, "unsupported WAV file: format tag 2 (PCM and float are read)")]
    [InlineData(3, 64, "unsupported WAV file: 64-bit float (32 is read)")]
    public void An_encoding_it_does_not_read_is_named(ushort tag, ushort bits, string message)
    {
        var file = WavWriter.ToBytes(new AudioBuffer([[0f, 0f]], 8000));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), tag);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(34), bits);

        Assert.Equal(message, Assert.Throws<AudioFormatException>(() => WavReader.Read(file)).Message);
    }

    [Fact]
    public void Text_is_not_a_wav_file()
    {
        var error = Assert.Throws<AudioFormatException>(() => WavReader.Read("hello, this is not audio at all"u8));

        Assert.Equal("not a WAV file: it does not start with a RIFF/WAVE header", error.Message);
    }

    private static byte[] Le32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
