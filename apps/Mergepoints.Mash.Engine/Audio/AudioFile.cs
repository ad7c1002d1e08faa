namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// Reads and writes audio files by what they hold: WAV in code, MP3, OGG, FLAC, M4A and AAC through ffmpeg,
/// anything else not at all. A song's bytes are read once, because the analysis cache is keyed by their hash.
/// </summary>
internal sealed class AudioFile(Ffmpeg ffmpeg)
{
    /// <summary>The whole song; with <paramref name="decodeLimit"/>, only that much of a format ffmpeg decodes (a WAV is always read whole).</summary>
    public async Task<(AudioBuffer Audio, byte[] Bytes)> ReadAsync(string path, CancellationToken cancellationToken, TimeSpan? decodeLimit = null)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AudioFormatException($"cannot read {path}: no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioFormatException($"cannot read {path}: {e.Message}", e);
        }
        if (WavReader.LooksLikeWav(bytes))
        {
            return (Prefixed(path, () => WavReader.Read(bytes)), bytes);
        }
        if (Path.GetExtension(path).Equals(".wav", StringComparison.OrdinalIgnoreCase))
        {
            throw new AudioFormatException($"{path}: not a WAV file: it does not start with a RIFF/WAVE header");
        }
        return (await ffmpeg.DecodeAsync(path, FfmpegFormat(path, bytes), cancellationToken, decodeLimit), bytes);
    }

    /// <summary>
    /// How long a song that <see cref="ReadAsync"/> read is, in seconds, when only its start was decoded: ffmpeg
    /// copies its packets without decoding them, which takes a moment however long the song. Null when ffmpeg
    /// tells no time.
    /// </summary>
    public Task<double?> MeasureAsync(string path, byte[] bytes, CancellationToken cancellationToken) =>
        ffmpeg.MeasureAsync(path, FfmpegFormat(path, bytes), cancellationToken);

    public async Task WriteAsync(AudioBuffer audio, string path, CancellationToken cancellationToken)
    {
        if (Path.GetExtension(path).Equals(".mp3", StringComparison.OrdinalIgnoreCase))
        {
            await ffmpeg.EncodeMp3Async(audio, path, cancellationToken);
            return;
        }
        try
        {
            await File.WriteAllBytesAsync(path, WavWriter.ToBytes(audio), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioFormatException($"cannot write {path}: {e.Message}", e);
        }
    }

    private static string FfmpegFormat(string path, byte[] bytes) => AudioSignature.FfmpegFormat(bytes)
        ?? throw new AudioFormatException($"{path}: not audio this reads: WAV, MP3, OGG, FLAC, M4A or AAC");

    private static AudioBuffer Prefixed(string path, Func<AudioBuffer> read)
    {
        try
        {
            return read();
        }
        catch (AudioFormatException e)
        {
            throw new AudioFormatException($"{path}: {e.Message}", e);
        }
    }
}
