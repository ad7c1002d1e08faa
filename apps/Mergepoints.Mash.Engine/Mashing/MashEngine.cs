using Mergepoints.Mash.Engine.Analysis;
using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>
/// MonsterMash's engine: song A rebuilt from song B's sounds (the Echo Nest's afromb), with the analysis computed
/// here instead of by the web service that is gone. One instance serves any number of mashes, one after another
/// or at once; it holds only its options. Progress goes to an <see cref="IProgress{T}"/> (from worker threads)
/// and every long loop honours the cancellation token, so a job queue or a command line can drive it.
/// </summary>
public sealed class MashEngine
{
    // How much of a compressed song CheckAsync decodes: enough to find a broken stream, little enough to be quick.
    private static readonly TimeSpan CheckedStart = TimeSpan.FromSeconds(10);

    private readonly AudioFile _files;
    private readonly AnalysisCache? _cache;

    /// <summary>An engine with ffmpeg from PATH and no analysis cache unless <paramref name="options"/> say otherwise.</summary>
    public MashEngine(MashEngineOptions? options = null)
    {
        options ??= new MashEngineOptions();
        _files = new AudioFile(new Ffmpeg(options.FfmpegPath));
        _cache = options.CacheDirectory is null ? null : new AnalysisCache(options.CacheDirectory);
    }

    /// <summary>
    /// Mashes <paramref name="songA"/> with <paramref name="songB"/>'s sounds into <paramref name="output"/>: a 16-bit WAV
    /// at A's sample rate and channel count, or an MP3 (through ffmpeg) when the name ends in .mp3.
    /// </summary>
    /// <exception cref="AudioFormatException">A song cannot be read or decoded, or the output cannot be written.</exception>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public async Task<MashResult> MashAsync(
        string songA, string songB, string output, MashOptions options, IProgress<MashProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Both songs are read before either is analysed, so a bad B fails at once, not after A's analysis.
        progress?.Report(new MashProgress(MashStage.AnalysingA, 0));
        var fileA = await ReadAsync(songA, cancellationToken);
        var fileB = await ReadAsync(songB, cancellationToken);
        var (audioA, analysisA) = (fileA.Audio, await AnalyzeAsync(fileA, Stage(progress, MashStage.AnalysingA), cancellationToken));
        var (audioB, analysisB) = (fileB.Audio, await AnalyzeAsync(fileB, Stage(progress, MashStage.AnalysingB), cancellationToken));
        var (unitsA, unitsB) = options.Unit == MashUnit.Beat
            ? (analysisA.BeatSegments, analysisB.BeatSegments)
            : (analysisA.Segments, analysisB.Segments);
        var match = await Task.Run(() => Matcher.Match(unitsA, unitsB, options.Mode, Stage(progress, MashStage.Matching), cancellationToken), cancellationToken);
        var rendering = Stage(progress, MashStage.Rendering);
        var mash = await Task.Run(() =>
        {
            var b = Resampler.Convert(audioB, audioA.SampleRate, audioA.ChannelCount, cancellationToken);
            return Renderer.Render(audioA, unitsA, b, unitsB, match, options, rendering is null ? null : new Part(rendering, 0, 0.8), cancellationToken);
        }, cancellationToken);
        await _files.WriteAsync(mash, output, cancellationToken);
        rendering?.Report(1);
        return new MashResult(mash.Duration, unitsA.Count, analysisA, analysisB);
    }

    /// <summary>The analysis of one song (segments, tempo, beats), from the cache when it holds the same bytes.</summary>
    /// <exception cref="AudioFormatException">The song cannot be read or decoded.</exception>
    public async Task<SongAnalysis> AnalyzeAsync(string song, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        await AnalyzeAsync(await ReadAsync(song, cancellationToken), progress, cancellationToken);

    /// <summary>
    /// Checks that a mash will be able to read <paramref name="song"/>, without analysing it, and tells its length,
    /// so a site can refuse a file before it keeps it, and refuse one too long to mash: a WAV file is read whole (a
    /// truncated one fails here); any other format has its first seconds decoded by ffmpeg (decoding the whole of a
    /// long MP3 would take a gigabyte of temporary file) and its length measured by ffmpeg copying its packets.
    /// </summary>
    /// <returns>The length in seconds; null only when ffmpeg tells no time for a compressed file.</returns>
    /// <exception cref="AudioFormatException">A mash could not read the song; the message names its path.</exception>
    public async Task<double?> CheckAsync(string song, CancellationToken cancellationToken = default)
    {
        var (audio, bytes) = await ReadAsync(song, cancellationToken, CheckedStart);
        return WavReader.LooksLikeWav(bytes) ? audio.Duration : await _files.MeasureAsync(song, bytes, cancellationToken);
    }

    /// <summary>
    /// Removes the cached analysis of the song whose bytes have the SHA-256 <paramref name="songHash"/> (lowercase
    /// hex), so a site that deletes a song's file does not keep its analysis forever. Nothing without a cache.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="songHash"/> is not 64 lowercase hex digits.</exception>
    public void ForgetAnalysis(string songHash) => _cache?.Forget(songHash);

    private async Task<(AudioBuffer Audio, byte[] Bytes)> ReadAsync(string path, CancellationToken cancellationToken, TimeSpan? decodeLimit = null)
    {
        var file = await _files.ReadAsync(path, cancellationToken, decodeLimit);
        return file.Audio.Length == 0 ? throw new AudioFormatException($"{path}: the song holds no audio") : file;
    }

    private async Task<SongAnalysis> AnalyzeAsync((AudioBuffer Audio, byte[] Bytes) song, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var key = _cache is null ? null : AnalysisCache.Key(song.Bytes);
        var analysis = key is null ? null : await _cache!.TryGetAsync(key, cancellationToken);
        if (analysis is null)
        {
            analysis = await Task.Run(() => SongAnalyzer.Analyze(song.Audio, progress, cancellationToken), cancellationToken);
            if (key is not null)
            {
                await _cache!.PutAsync(key, analysis, cancellationToken);
            }
        }
        progress?.Report(1);
        return analysis;
    }

    private static Progress? Stage(IProgress<MashProgress>? progress, MashStage stage) => progress is null ? null : new Progress(progress, stage);

    private sealed class Progress(IProgress<MashProgress> target, MashStage stage) : IProgress<double>
    {
        public void Report(double value) => target.Report(new MashProgress(stage, value));
    }

    /// <summary>Reports 0..1 of a step as <c>from</c>..<c>to</c> of its stage (rendering leaves the rest to writing).</summary>
    private sealed class Part(IProgress<double> stage, double from, double to) : IProgress<double>
    {
        public void Report(double value) => stage.Report(from + (to - from) * value);
    }
}
