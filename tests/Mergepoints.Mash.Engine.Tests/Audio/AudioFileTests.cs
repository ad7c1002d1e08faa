using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Testing;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Engine.Tests.Audio;

public sealed class AudioFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Wav(string name, double seconds = 1.5) =>
        Synth.WriteWav(Path.Combine(_directory.Path, name), Synth.Buffer(Synth.Sine(440, seconds, 44100), 44100, 2));

    [Theory]
    [InlineData("mp3")]
    [InlineData("ogg")]
    [InlineData("flac")]
    [InlineData("m4a")]
    public async Task Compressed_formats_decode_through_ffmpeg_to_the_same_length_and_pitch(string extension)
    {
        InstalledFfmpeg.Require();
        var encoded = Path.Combine(_directory.Path, "song." + extension);
        await InstalledFfmpeg.EncodeAsync(Wav("song.wav"), encoded);

        var (audio, _) = await new AudioFile(new Ffmpeg("ffmpeg")).ReadAsync(encoded, TestContext.Current.CancellationToken);

        Assert.Equal((44100, 2), (audio.SampleRate, audio.ChannelCount));
        Assert.InRange(audio.Duration, 1.45, 1.6);
        // 440 Hz: 880 zero crossings a second, counted in the middle second (away from encoder padding).
        var middle = audio.Channels[0].AsSpan(audio.SampleRate / 4, audio.SampleRate);
        var crossings = 0;
        for (var i = 1; i < middle.Length; i++)
        {
            crossings += middle[i] < 0 != middle[i - 1] < 0 ? 1 : 0;
        }
        Assert.InRange(crossings, 870, 890);
    }

    [Fact]
    public async Task Without_ffmpeg_a_compressed_song_is_an_error_naming_ffmpeg()
    {
        var song = _directory.Write("song.mp3", "ID3 pretend");
        var missing = Path.Combine(_directory.Path, "no-such-ffmpeg");

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioFile(new Ffmpeg(missing)).ReadAsync(song, TestContext.Current.CancellationToken));

        Assert.Equal($"cannot decode song.mp3: this needs ffmpeg, which is not installed (cannot run '{missing}')", error.Message);
    }

    [Fact]
    public async Task A_file_ffmpeg_cannot_decode_is_one_line_from_ffmpeg()
    {
        InstalledFfmpeg.Require();
        var song = _directory.Write("song.ogg", "OggS and nothing an Ogg decoder could use");

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioFile(new Ffmpeg("ffmpeg")).ReadAsync(song, TestContext.Current.CancellationToken));

        Assert.StartsWith("cannot decode song.ogg: ffmpeg says: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_file_of_no_format_the_engine_reads_is_refused_without_asking_ffmpeg()
    {
        var song = _directory.Write("song.ogg", "not audio at all");

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioFile(new Ffmpeg("/nonexistent")).ReadAsync(song, TestContext.Current.CancellationToken));

        Assert.Equal($"{song}: not audio this reads: WAV, MP3, OGG, FLAC, M4A or AAC", error.Message);
    }

    [Fact]
    public async Task Text_named_wav_is_not_a_wav_file_and_ffmpeg_is_not_asked()
    {
        var song = _directory.Write("song.wav", "just some text");

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioFile(new Ffmpeg("/nonexistent")).ReadAsync(song, TestContext.Current.CancellationToken));

        Assert.Equal($"{song}: not a WAV file: it does not start with a RIFF/WAVE header", error.Message);
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        var missing = Path.Combine(_directory.Path, "gone.wav");

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioFile(new Ffmpeg("ffmpeg")).ReadAsync(missing, TestContext.Current.CancellationToken));

        Assert.Equal($"cannot read {missing}: no such file", error.Message);
    }

    [Fact]
    public async Task An_mp3_output_is_encoded_through_ffmpeg()
    {
        InstalledFfmpeg.Require();
        var files = new AudioFile(new Ffmpeg("ffmpeg"));
        var (audio, _) = await files.ReadAsync(Wav("song.wav"), TestContext.Current.CancellationToken);
        var mp3 = Path.Combine(_directory.Path, "out.mp3");

        await files.WriteAsync(audio, mp3, TestContext.Current.CancellationToken);

        var (decoded, bytes) = await files.ReadAsync(mp3, TestContext.Current.CancellationToken);
        Assert.True("ID3"u8.SequenceEqual(bytes.AsSpan(0, 3)) || bytes[0] == 0xFF);
        Assert.InRange(decoded.Duration, 1.45, 1.6);
    }

    [Fact]
    public void Resampling_keeps_a_tone_s_level_and_frequency()
    {
        var tone = Synth.Sine(1000, 1, 44100, amplitude: 0.5);

        var resampled = Resampler.Resample(tone, 44100, 22050, TestContext.Current.CancellationToken);

        Assert.Equal(22050, resampled.Length);
        var middle = resampled.AsSpan(2000, 18000).ToArray();
        Assert.InRange(middle.Max(), 0.49f, 0.51f);
        var expected = Synth.Sine(1000, 1, 22050, amplitude: 0.5).AsSpan(2000, 18000).ToArray();
        Assert.True(middle.Zip(expected, (x, y) => Math.Abs(x - y)).Max() < 0.01f);
    }

    public void Dispose() => _directory.Dispose();
}
