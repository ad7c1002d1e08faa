using Mergepoints.Mash.Engine.Analysis;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Engine.Tests.Analysis;

public sealed class SongAnalyzerTests(ITestOutputHelper output)
{
    private const int Rate = 44100;
    private static readonly string[] PitchNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    private static SongAnalysis Analyze(float[] signal, int rate = Rate, int channels = 1) =>
        SongAnalyzer.Analyze(Synth.Buffer(signal, rate, channels), null, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(44100, 1)]
    [InlineData(48000, 2)]
    [InlineData(22050, 1)]
    public void Clicks_at_known_times_are_found_within_50_ms(int rate, int channels)
    {
        var random = new Random(rate);
        var clicks = new List<double>();
        for (var t = 0.3 + random.NextDouble() * 0.2; t < 19.5; t += 0.15 + random.NextDouble() * 0.6)
        {
            clicks.Add(t);
        }

        var onsets = Analyze(Synth.Clicks(clicks, 20, rate), rate, channels).Segments.Skip(1).Select(s => s.Start).ToList();

        var errors = clicks.Select(c => onsets.Select(o => o - c).MinBy(Math.Abs)).ToList();
        output.WriteLine($"{clicks.Count} clicks, {onsets.Count} onsets, mean error {errors.Average() * 1000:F1} ms, worst {errors.Max(Math.Abs) * 1000:F1} ms");
        var hits = clicks.Count(c => onsets.Any(o => Math.Abs(o - c) <= 0.050));
        var (precision, recall) = ((double)onsets.Count(o => clicks.Any(c => Math.Abs(o - c) <= 0.050)) / onsets.Count, (double)hits / clicks.Count);
        Assert.True(2 * precision * recall / (precision + recall) >= 0.9, $"precision {precision:F2}, recall {recall:F2}");
    }

    [Theory]
    [InlineData(120)]
    [InlineData(96)]
    [InlineData(140)]
    public void A_click_track_gives_its_tempo_within_8_percent_and_beats_within_70_ms(double bpm)
    {
        var clicks = Synth.BeatTimes(bpm, 30).ToList();

        var analysis = Analyze(Synth.ClickTrack(bpm, 30, Rate));

        output.WriteLine($"tempo {analysis.Tempo:F2}, {analysis.Beats.Count} beats for {clicks.Count} clicks");
        Assert.InRange(analysis.Tempo, bpm * 0.92, bpm * 1.08);
        Assert.All(analysis.Beats, b => Assert.True(clicks.Any(c => Math.Abs(b - c) <= 0.070), $"a beat at {b:F3} s with no click near"));
        Assert.True(clicks.Count(c => analysis.Beats.Any(b => Math.Abs(b - c) <= 0.070)) >= 0.9 * clicks.Count);
    }

    [Fact]
    public void Tatums_are_the_beats_and_the_halves_between_them()
    {
        var analysis = Analyze(Synth.ClickTrack(120, 10, Rate));

        Assert.Equal(2 * analysis.Beats.Count - 1, analysis.Tatums.Count);
        Assert.Equal((analysis.Beats[0] + analysis.Beats[1]) / 2, analysis.Tatums[1], 6);
    }

    [Fact]
    public void A_440_Hz_tone_peaks_in_chroma_bin_A()
    {
        var segment = Assert.Single(Analyze(Synth.Sine(440, 2, Rate)).Segments);

        Assert.Equal("A", PitchNames[segment.Pitches.Index().MaxBy(p => p.Item).Index]);
        Assert.Equal(1f, segment.Pitches.Max());
    }

    [Fact]
    public void A_C_major_triad_peaks_in_C_E_and_G()
    {
        var chord = Synth.Chord([Synth.Note(60), Synth.Note(64), Synth.Note(67)], 2, Rate);

        var segment = Analyze(chord).Segments[0];

        var strongest = segment.Pitches.Index().OrderByDescending(p => p.Item).Take(3).Select(p => PitchNames[p.Index]).Order();
        Assert.Equal(["C", "E", "G"], strongest);
    }

    [Fact]
    public void A_sine_at_amplitude_one_half_reads_minus_9_dB()
    {
        var segment = Assert.Single(Analyze(Synth.Sine(1000, 2, Rate, amplitude: 0.5)).Segments);

        Assert.InRange(segment.LoudnessStart, -9.5, -8.5);
        Assert.InRange(segment.LoudnessMax, -9.5, -8.5);
    }

    [Fact]
    public void Loudness_max_and_its_time_follow_a_swell()
    {
        var swell = Synth.Sine(500, 1, Rate, amplitude: 1).Select((s, i) => s * (float)Math.Min(1, i / (0.6 * Rate))).ToArray();

        var segment = Analyze(swell).Segments[0];

        Assert.True(segment.LoudnessStart < -30, $"starts at {segment.LoudnessStart} dB");
        Assert.InRange(segment.LoudnessMax, -3.5, -2.5);
        Assert.InRange(segment.LoudnessMaxTime, 0.55, 1.0);
    }

    [Fact]
    public void Segments_are_contiguous_from_zero_and_none_is_shorter_than_60_ms()
    {
        var clicks = Enumerable.Range(0, 40).Select(i => 0.2 + i * 0.04).ToList();

        var analysis = Analyze(Synth.Clicks(clicks, 3, Rate));

        Assert.Equal(0, analysis.Segments[0].Start);
        Assert.All(analysis.Segments.Zip(analysis.Segments.Skip(1)), p => Assert.Equal(p.First.Start + p.First.Duration, p.Second.Start, 9));
        Assert.Equal(analysis.Duration, analysis.Segments[^1].Start + analysis.Segments[^1].Duration, 9);
        Assert.All(analysis.Segments, s => Assert.True(s.Duration >= 0.060, $"a segment of {s.Duration * 1000:F0} ms"));
        Assert.All(analysis.Segments, s => Assert.Equal(12, s.Timbre.Count));
    }

    [Fact]
    public void Silence_has_one_segment_and_no_beats()
    {
        var analysis = Analyze(new float[Rate * 2]);

        Assert.Equal(-60, Assert.Single(analysis.Segments).LoudnessMax);
        Assert.Empty(analysis.Beats);
        Assert.Equal(0, analysis.Tempo);
    }
}
