using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Testing;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Host.Tests.Cli;

public sealed class MashCommandTests : IDisposable
{
    private const int Rate = 44100;
    private readonly TempDirectory _directory = new();

    private string Song(string name, double hertz, double seconds) =>
        Synth.WriteWav(Path.Combine(_directory.Path, name), Synth.Buffer(Synth.Concat(
            Synth.Sum(Synth.Sine(hertz, seconds / 2, Rate, 0.3), Synth.Clicks([0], seconds / 2, Rate)),
            Synth.Sum(Synth.Sine(hertz * 1.5, seconds / 2, Rate, 0.3), Synth.Clicks([0], seconds / 2, Rate))), Rate, 2));

    [Theory]
    [InlineData("smooth", "segment")]
    [InlineData("smooth", "beat")]
    [InlineData("classic", "segment")]
    public async Task Two_songs_make_a_wav_as_long_as_A_with_stage_lines_on_stderr(string mode, string unit)
    {
        var (a, b) = (Song("a.wav", 330, 4), Song("b.wav", 220, 3));
        var output = Path.Combine(_directory.Path, "out.wav");

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync("mash", a, b, "-o", output, "--mode", mode, "--unit", unit, "--mix", "0.8");

        Assert.Equal(0, exitCode);
        var mash = WavReader.Read(await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
        var original = WavReader.Read(await File.ReadAllBytesAsync(a, TestContext.Current.CancellationToken));
        Assert.Equal((Rate, 2), (mash.SampleRate, mash.ChannelCount));
        Assert.Equal(original.Length, mash.Length);
        Assert.StartsWith($"{output}: 0:04 from ", stdout, StringComparison.Ordinal);
        Assert.Equal(["analysing A...", "analysing B...", "matching...", "rendering..."], stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_missing_song_is_one_line_and_exit_code_2()
    {
        var missing = Path.Combine(_directory.Path, "missing.wav");

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync("mash", missing, Song("b.wav", 220, 1), "-o", Path.Combine(_directory.Path, "out.wav"));

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"mergepoints: cannot read {missing}: no such file", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_text_file_named_wav_is_one_line_and_exit_code_2(bool asA)
    {
        var text = _directory.Write("notes.wav", "these are my notes, not a song");
        var song = Song("song.wav", 220, 1);

        var (exitCode, _, stderr) = await HostProcess.RunAsync("mash", asA ? text : song, asA ? song : text, "-o", Path.Combine(_directory.Path, "out.wav"));

        Assert.Equal(2, exitCode);
        Assert.Equal($"mergepoints: {text}: not a WAV file: it does not start with a RIFF/WAVE header", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("--mix", "1.5")]
    [InlineData("--mode", "loud")]
    [InlineData("--unit", "bar")]
    public async Task An_option_out_of_range_is_one_line_and_exit_code_2(string option, string value)
    {
        var song = Song("song.wav", 220, 1);

        var (exitCode, _, stderr) = await HostProcess.RunAsync("mash", song, song, "-o", Path.Combine(_directory.Path, "out.wav"), option, value);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("mergepoints: ", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classic_on_beats_is_refused_with_a_hint()
    {
        var song = Song("song.wav", 220, 1);

        var (exitCode, _, stderr) = await HostProcess.RunAsync("mash", song, song, "-o", Path.Combine(_directory.Path, "out.wav"), "--mode", "classic", "--unit", "beat");

        Assert.Equal(2, exitCode);
        Assert.Equal("mergepoints: classic mode matches segments only; use --mode smooth to match on beats", stderr.Trim());
    }

    public void Dispose() => _directory.Dispose();
}
