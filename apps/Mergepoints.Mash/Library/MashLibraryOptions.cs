namespace Mergepoints.Mash.Library;

/// <summary>Section <c>Mash</c> of appsettings.json: what the library keeps, and for how long.</summary>
public sealed class MashLibraryOptions
{
    /// <summary>The largest upload kept, in bytes (50 MB by default); nginx's <c>client_max_body_size</c> must match it.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// The longest song kept, in seconds (10 minutes by default): a mash decodes both songs whole and analyses them,
    /// so it is length, not bytes, that costs (50 MB of low-bitrate MP3 is hours of audio).
    /// </summary>
    public int MaxSongSeconds { get; set; } = 600;

    /// <summary>Uploads and mashes older than this many days are deleted; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; }

    /// <summary>The ffmpeg executable for MP3, OGG, FLAC and M4A.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    // A century: the cutoff stays a date DateTimeOffset can hold.
    private const int RetentionCeiling = 36_500;

    // An uploaded WAV is checked in one array.
    private const long UploadCeiling = int.MaxValue;

    // A day of audio is already more than any worker should decode whole.
    private const int SongSecondsCeiling = 86_400;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting no library can work with.</summary>
    public MashLibraryOptions Validate()
    {
        Check(MaxUploadBytes is >= 1 and <= UploadCeiling, $"Mash:MaxUploadBytes must be between 1 and {UploadCeiling} (2 GiB), not {MaxUploadBytes}");
        Check(MaxSongSeconds is >= 1 and <= SongSecondsCeiling, $"Mash:MaxSongSeconds must be between 1 and {SongSecondsCeiling} (a day), not {MaxSongSeconds}");
        Check(RetentionDays is >= 0 and <= RetentionCeiling, $"Mash:RetentionDays must be between 0 (keep everything) and {RetentionCeiling}, not {RetentionDays}");
        Check(!string.IsNullOrWhiteSpace(FfmpegPath), "Mash:FfmpegPath must name the ffmpeg executable (\"ffmpeg\" finds it on PATH)");
        return this;
    }

    private static void Check(bool ok, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException(problem);
        }
    }
}
