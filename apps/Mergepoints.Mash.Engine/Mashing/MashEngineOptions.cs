namespace Mergepoints.Mash.Engine.Mashing;

/// <summary>Where the engine finds what it needs outside itself.</summary>
public sealed record MashEngineOptions
{
    /// <summary>The ffmpeg executable for MP3, OGG, FLAC and M4A: a name on PATH or a full path.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>Where analyses are kept by content hash; null analyses every song afresh.</summary>
    public string? CacheDirectory { get; init; }
}
