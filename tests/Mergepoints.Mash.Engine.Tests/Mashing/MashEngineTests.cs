using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Testing;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Engine.Tests.Mashing;

public sealed class MashEngineTests : IDisposable
{
    private const int Rate = 44100;
    private readonly TempDirectory _directory = new();
    private readonly MashEngine _engine = new();

    // A: a melody of notes starting with clicks, so it has segments and beats; B: chords and noise bursts.
    private string SongA(int rate = Rate, int channels = 2)
    {
        var notes = Enumerable.Range(0, 16).Select(i => Synth.Sum(Synth.Sine(Synth.Note(60 + i % 7 * 2), 0.375, rate, 0.3), Synth.Clicks([0], 0.375, rate, 0.5))).ToArray();
        return Synth.WriteWav(Path.Combine(_directory.Path, $"a-{rate}-{channels}.wav"), Synth.Buffer(Synth.Concat(notes), rate, channels));
    }

    private string SongB(int rate = 22050, int channels = 1)
    {
        var chords = Enumerable.Range(0, 10).Select(i => Synth.Sum(
            Synth.Chord([Synth.Note(55 + i), Synth.Note(59 + i), Synth.Note(62 + i)], 0.5, rate, 0.25),
            Synth.NoiseBurst(0, 0.05, 0.5, rate, 0.4, seed: i))).ToArray();
        return Synth.WriteWav(Path.Combine(_directory.Path, $"b-{rate}-{channels}.wav"), Synth.Buffer(Synth.Concat(chords), rate, channels));
    }

    private string Output(string name = "out.wav") => Path.Combine(_directory.Path, name);

    private static AudioBuffer Read(string path) => WavReader.Read(File.ReadAllBytes(path));

    private Task<MashResult> MashAsync(string a, string b, string output, MashOptions options, IProgress<MashProgress>? progress = null) =>
        _engine.MashAsync(a, b, output, options, progress, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(MashMode.Smooth, MashUnit.Segment)]
    [InlineData(MashMode.Smooth, MashUnit.Beat)]
    [InlineData(MashMode.Classic, MashUnit.Segment)]
    public async Task Mix_0_gives_back_A(MashMode mode, MashUnit unit)
    {
        var a = SongA();

        await MashAsync(a, SongB(), Output(), new MashOptions { Mix = 0, Mode = mode, Unit = unit });

        var (original, mash) = (Read(a), Read(Output()));
        for (var c = 0; c < original.ChannelCount; c++)
        {
            Assert.Equal(original.Channels[c], mash.Channels[c].AsSpan(0, original.Length).ToArray());
            Assert.All(mash.Channels[c].Skip(original.Length), s => Assert.Equal(0f, s));
        }
    }

    [Fact]
    public async Task A_mashed_with_itself_classic_mix_1_envelope_off_gives_back_A()
    {
        var a = SongA();

        await MashAsync(a, a, Output(), new MashOptions { Mix = 1, Mode = MashMode.Classic, Envelope = false });

        var (original, mash) = (Read(a), Read(Output()));
        Assert.Equal(original.Channels, mash.Channels);
    }

    [Theory]
    [InlineData(MashUnit.Segment)]
    [InlineData(MashUnit.Beat)]
    public async Task Smooth_output_is_as_long_as_A_at_A_s_rate_and_channels_whatever_B_is(MashUnit unit)
    {
        var a = SongA(48000, 2);

        var result = await MashAsync(a, SongB(22050, 1), Output(), new MashOptions { Unit = unit });

        var (original, mash) = (Read(a), Read(Output()));
        Assert.Equal((original.Length, 48000, 2), (mash.Length, mash.SampleRate, mash.ChannelCount));
        Assert.Equal(unit == MashUnit.Beat ? result.A.BeatSegments.Count : result.A.Segments.Count, result.Slots);
        Assert.True(mash.Channels[0].Max(Math.Abs) > 0.05f, "the mash is silent");
    }

    [Fact]
    public async Task Classic_output_is_A_plus_the_tail_of_the_last_B_segment_played_out()
    {
        // B is one long tone, one segment: every slot of A takes it, and the last one plays it to its end.
        var b = Synth.WriteWav(Output("tone.wav"), Synth.Buffer(Synth.Sine(330, 3, Rate, 0.4), Rate));
        var a = SongA();

        var result = await MashAsync(a, b, Output(), new MashOptions { Mode = MashMode.Classic });

        var lastSlotStart = (int)Math.Round(result.A.Segments[^1].Start * Rate);
        Assert.Single(result.B.Segments);
        Assert.Equal(lastSlotStart + 3 * Rate, Read(Output()).Length);
        Assert.True(Read(Output()).Length > Read(a).Length);
    }

    [Fact]
    public async Task Smooth_fades_every_slot_edge_where_classic_cuts()
    {
        var b = Synth.WriteWav(Output("tone.wav"), Synth.Buffer(Synth.Sum(Synth.Sine(220, 6, Rate, 0.8), Synth.Sine(97, 6, Rate, 0.15)), Rate));
        var clicks = Synth.Clicks(Enumerable.Range(0, 12).Select(i => 0.2 + i * 0.37 + i % 3 * 0.05), 5, Rate, 0.05);
        var a = Synth.WriteWav(Output("clicks.wav"), Synth.Buffer(clicks, Rate));

        var smooth = await MashAsync(a, b, Output("smooth.wav"), new MashOptions { Mix = 1, Envelope = false });
        await MashAsync(a, b, Output("classic.wav"), new MashOptions { Mix = 1, Envelope = false, Mode = MashMode.Classic });

        float WorstJumpAtEdges(AudioBuffer mash) => smooth.A.Segments.Skip(1)
            .Select(s => (int)Math.Round(s.Start * Rate))
            .Max(edge => Enumerable.Range(edge - 2, 5).Max(n => Math.Abs(mash.Channels[0][n] - mash.Channels[0][n - 1])));
        Assert.True(smooth.A.Segments.Count >= 8, $"{smooth.A.Segments.Count} segments");
        Assert.True(WorstJumpAtEdges(Read(Output("classic.wav"))) > 0.2f, "classic should cut hard");
        Assert.True(WorstJumpAtEdges(Read(Output("smooth.wav"))) < 0.05f);
    }

    [Fact]
    public async Task Progress_runs_through_the_four_stages_in_order_and_ends_at_100_percent()
    {
        var reports = new List<MashProgress>();

        await MashAsync(SongA(), SongB(), Output(), new MashOptions(), new SynchronousProgress(reports));

        var stages = reports.Select(r => r.Stage).Distinct().ToList();
        Assert.Equal([MashStage.AnalysingA, MashStage.AnalysingB, MashStage.Matching, MashStage.Rendering], stages);
        Assert.Equal(1.0, reports[^1].Overall, 9);
        Assert.All(reports.Zip(reports.Skip(1)), p => Assert.True(p.Second.Stage >= p.First.Stage));
    }

    [Fact]
    public async Task A_cancelled_mash_stops_and_writes_nothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _engine.MashAsync(SongA(), SongB(), Output(), new MashOptions(), null, cancel.Token));

        Assert.False(File.Exists(Output()));
    }

    [Theory]
    [InlineData(1.5, MashMode.Smooth, MashUnit.Segment, "mix must be between 0 and 1, not 1.5")]
    [InlineData(0.5, MashMode.Classic, MashUnit.Beat, "classic mode matches segments only; use --mode smooth to match on beats")]
    public async Task Options_no_mash_can_honour_are_refused_before_any_work(double mix, MashMode mode, MashUnit unit, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => MashAsync("missing-a.wav", "missing-b.wav", Output(), new MashOptions { Mix = mix, Mode = mode, Unit = unit }));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task The_analysis_cache_is_keyed_by_the_song_s_bytes_not_its_name()
    {
        var cache = Path.Combine(_directory.Path, "cache");
        var engine = new MashEngine(new MashEngineOptions { CacheDirectory = cache });
        var song = SongA();
        var copy = Output("same-song-other-name.wav");
        File.Copy(song, copy);

        var first = await engine.AnalyzeAsync(song, cancellationToken: TestContext.Current.CancellationToken);
        var entry = Assert.Single(Directory.GetFiles(cache));
        Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(song))), Path.GetFileName(entry), StringComparison.Ordinal);
        // Doctor the entry: only a hit can return the doctored tempo.
        await File.WriteAllTextAsync(entry, File.ReadAllText(entry).Replace($"\"tempo\":{first.Tempo.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "\"tempo\":1234", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var second = await engine.AnalyzeAsync(copy, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1234, second.Tempo);
        Assert.Equal(first.Segments.Count, second.Segments.Count);
        Assert.Single(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task A_damaged_cache_entry_is_analysed_again()
    {
        var cache = Path.Combine(_directory.Path, "cache");
        var engine = new MashEngine(new MashEngineOptions { CacheDirectory = cache });
        var song = SongA();
        var first = await engine.AnalyzeAsync(song, cancellationToken: TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Directory.GetFiles(cache)[0], "{ broken", TestContext.Current.CancellationToken);

        var again = await engine.AnalyzeAsync(song, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.Tempo, again.Tempo);
    }

    [Fact]
    public async Task An_mp3_output_goes_through_ffmpeg()
    {
        InstalledFfmpeg.Require();

        await MashAsync(SongA(), SongB(), Output("out.mp3"), new MashOptions());

        Assert.True(new FileInfo(Output("out.mp3")).Length > 1000);
        Assert.False(WavReader.LooksLikeWav(File.ReadAllBytes(Output("out.mp3"))));
    }

    [Fact]
    public async Task Checking_a_wav_reads_it_whole_and_gives_its_length_and_a_truncated_one_the_readers_reason()
    {
        var song = SongA();
        var truncated = Output("truncated.wav");
        var bytes = await File.ReadAllBytesAsync(song, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);

        var length = await _engine.CheckAsync(song, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<AudioFormatException>(() => _engine.CheckAsync(truncated, TestContext.Current.CancellationToken));

        Assert.Equal(Read(song).Duration, length);
        Assert.StartsWith($"{truncated}: truncated WAV file: the data chunk declares ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checking_a_compressed_song_decodes_its_start_through_ffmpeg_and_measures_its_length()
    {
        InstalledFfmpeg.Require();
        var wav = SongA();
        var mp3 = Output("a.mp3");
        await InstalledFfmpeg.EncodeAsync(wav, mp3);
        var broken = Output("broken.mp3");
        await File.WriteAllTextAsync(broken, "ID3 and then nothing an MP3 decoder could use", TestContext.Current.CancellationToken);

        var length = await _engine.CheckAsync(mp3, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<AudioFormatException>(() => _engine.CheckAsync(broken, TestContext.Current.CancellationToken));

        // As ffmpeg counts it: the encoder adds a frame or two of padding.
        Assert.InRange(length!.Value, Read(wav).Duration, Read(wav).Duration + 0.1);
        Assert.StartsWith("cannot decode broken.mp3: ", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private sealed class SynchronousProgress(List<MashProgress> reports) : IProgress<MashProgress>
    {
        public void Report(MashProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
