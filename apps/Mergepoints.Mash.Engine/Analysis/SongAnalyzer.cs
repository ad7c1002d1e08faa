using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>Analyses decoded audio: 22,050 Hz mono, frames, onsets and segments, beats, beat segments.</summary>
internal static class SongAnalyzer
{
    public static SongAnalysis Analyze(AudioBuffer audio, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var mono = Resampler.Resample(Resampler.Mono(audio), audio.SampleRate, Frames.SampleRate, cancellationToken);
        progress?.Report(0.1);
        var frames = Frames.Compute(mono, progress is null ? null : new Scaled(progress, 0.1, 0.8), cancellationToken);
        var duration = audio.Duration;
        var strength = OnsetDetector.Strength(frames);
        var onsets = OnsetDetector.Detect(strength).Select(ToTime);
        var segments = Segmenter.Cut(frames, onsets, duration);
        progress?.Report(0.85);
        var (tempo, beatFrames) = BeatTracker.Track(strength, cancellationToken);
        var beats = beatFrames.Select(ToTime).Where(t => t < duration).ToList();
        var tatums = beats.SelectMany((b, i) => i + 1 < beats.Count ? [b, (b + beats[i + 1]) / 2] : new[] { b }).ToList();
        var beatSegments = Segmenter.Cut(frames, beats, duration);
        progress?.Report(1);
        return new SongAnalysis(duration, tempo, beats, tatums, segments, beatSegments);
    }

    private static double ToTime(int frame) => Frames.TimeOf(frame) + OnsetDetector.Latency;

    /// <summary>A part of a progress range: reports 0..1 of the part as from..to of the whole.</summary>
    private sealed class Scaled(IProgress<double> whole, double from, double to) : IProgress<double>
    {
        public void Report(double value) => whole.Report(from + (to - from) * value);
    }
}
