namespace Mergepoints.Mash.Library;

/// <summary>Section <c>Mash</c> of appsettings.json: what the library keeps, and for how long.</summary>
public sealed class MashLibraryOptions
{
    /// <summary>The largest upload kept, in bytes (50 MB by default); nginx's <c>client_max_body_size</c> must match it.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Uploads and mashes older than this many days are deleted; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; }

    /// <summary>The ffmpeg executable for MP3, OGG, FLAC and M4A.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting no library can work with.</summary>
    public MashLibraryOptions Validate() => throw new NotImplementedException();
}
