namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// What audio a file holds, from its first bytes, whatever its name says. A site checks uploads with it, and the
/// engine tells ffmpeg the demuxer from it: left to guess, ffmpeg probes what follows an ID3 tag, and a playlist
/// there makes it open every file the playlist names.
/// </summary>
/// <remarks>
/// Hand-written: the signatures are a few bytes each, and the sniffing libraries (libmagic bindings, MimeDetective)
/// are not in our package source.
/// </remarks>
public static class AudioSignature
{
    /// <summary>How many bytes the signatures need.</summary>
    public const int HeadLength = 16;

    /// <summary>The audio media type the bytes start as, or null when they are no audio format the engine reads.</summary>
    public static string? ContentType(ReadOnlySpan<byte> head) => head switch
    {
        _ when WavReader.LooksLikeWav(head) => "audio/wav",
        _ when head.StartsWith("ID3"u8) => "audio/mpeg",
        _ when head.StartsWith("OggS"u8) => "audio/ogg",
        _ when head.StartsWith("fLaC"u8) => "audio/flac",
        _ when head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8) => "audio/mp4",
        // Frame sync: eleven set bits. MPEG audio has a layer (bits 1-2 not 00); AAC's ADTS has layer 00.
        [0xFF, var second, ..] when (second & 0xE0) == 0xE0 => (second & 0x06) != 0 ? "audio/mpeg" : "audio/aac",
        _ => null,
    };

    /// <summary>The ffmpeg demuxer (<c>-f</c>) for a compressed format, or null for WAV and anything unknown.</summary>
    internal static string? FfmpegFormat(ReadOnlySpan<byte> head) => ContentType(head) switch
    {
        "audio/mpeg" => "mp3",
        "audio/ogg" => "ogg",
        "audio/flac" => "flac",
        "audio/mp4" => "mov",
        "audio/aac" => "aac",
        _ => null,
    };
}
