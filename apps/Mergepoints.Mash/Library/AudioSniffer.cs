using System.Text;

namespace Mergepoints.Mash.Library;

/// <summary>
/// What a file really is, from its first bytes, whatever its name says: the audio formats the engine reads
/// (WAV in code, the rest through ffmpeg) and, for anything else, a word on what it looks like instead, so the
/// person who sent a renamed text file learns why it was refused.
/// </summary>
/// <remarks>
/// Hand-written: the signatures are a few bytes each, and the sniffing libraries (libmagic bindings, MimeDetective)
/// are not in our package source.
/// </remarks>
internal static class AudioSniffer
{
    /// <summary>How many bytes the signatures need.</summary>
    public const int HeadLength = 16;

    /// <summary>The audio media type the bytes start as, or null when they are no audio format we read.</summary>
    public static string? ContentType(ReadOnlySpan<byte> head) => head switch
    {
        _ when head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8) => "audio/wav",
        _ when head.StartsWith("ID3"u8) => "audio/mpeg",
        _ when head.StartsWith("OggS"u8) => "audio/ogg",
        _ when head.StartsWith("fLaC"u8) => "audio/flac",
        _ when head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8) => "audio/mp4",
        // Frame sync: eleven set bits. MPEG audio has a layer (bits 1-2 not 00); AAC's ADTS has layer 00.
        [0xFF, var second, ..] when (second & 0xE0) == 0xE0 => (second & 0x06) != 0 ? "audio/mpeg" : "audio/aac",
        _ => null,
    };

    /// <summary>What the bytes look like instead of audio, for the message: "it looks like text".</summary>
    public static string Describe(ReadOnlySpan<byte> head) => head switch
    {
        [] => "it is empty",
        _ when head.StartsWith("%PDF"u8) => "it looks like a PDF document",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "it looks like a PNG image",
        [0xFF, 0xD8, 0xFF, ..] => "it looks like a JPEG image",
        _ when head.StartsWith("GIF8"u8) => "it looks like a GIF image",
        _ when head.StartsWith("PK"u8) => "it looks like a ZIP archive",
        [0x1F, 0x8B, ..] => "it looks like a gzip archive",
        [0x7F, (byte)'E', (byte)'L', (byte)'F', ..] => "it looks like a program",
        _ when head.StartsWith("MZ"u8) => "it looks like a program",
        _ when head.StartsWith("RIFF"u8) => "it is a RIFF file but not WAVE audio: a video or an image, perhaps",
        _ when LooksLikeText(head) => "it looks like text",
        _ => "its first bytes are no audio format this site reads: WAV, MP3, OGG, FLAC or M4A",
    };

    // UTF-8 (a sequence cut at the end of the head is fine) with no control characters but tabs and line breaks.
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head).TrimEnd('\uFFFD');
        return !text.Contains('\uFFFD') && text.All(c => !char.IsControl(c) || c is '\t' or '\n' or '\r' or '\f');
    }
}
