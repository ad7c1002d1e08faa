using System.Text;
using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Mash.Library;

/// <summary>
/// What a file that is no audio looks like instead, so the person who sent a renamed text file learns why it was
/// refused; what audio is, <see cref="AudioSignature"/> says (the engine chooses ffmpeg's demuxer by the same bytes).
/// </summary>
/// <remarks>
/// Hand-written: the signatures are a few bytes each, and the sniffing libraries (libmagic bindings, MimeDetective)
/// are not in our package source.
/// </remarks>
internal static class AudioSniffer
{
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
