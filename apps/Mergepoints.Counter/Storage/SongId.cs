using System.Text;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// What the log can hold as a song id: 1 to 128 bytes of valid UTF-8, no control characters. The HTTP layer turns a bad id into a 400
/// with <see cref="Problem"/>'s reason; <see cref="Validate"/> is the storage's own guard, so a bad id can never
/// reach the log and change on replay.
/// </summary>
internal static class SongId
{
    /// <summary>The longest id in UTF-8 bytes; one length byte holds it.</summary>
    public const int MaxBytes = 128;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why <paramref name="songId"/> cannot be logged, as one line; null when it can.</summary>
    public static string? Problem(string songId)
    {
        ArgumentNullException.ThrowIfNull(songId);
        int bytes;
        try
        {
            bytes = Strict.GetByteCount(songId);
        }
        catch (EncoderFallbackException)
        {
            return "A song id must be valid Unicode.";
        }
        return bytes switch
        {
            0 => "The song id is empty.",
            > MaxBytes => $"A song id is at most {MaxBytes} bytes of UTF-8.",
            // C0 and C1 (U+0000-U+001F, U+007F-U+009F): a line break would split the one-line "1=1,5=2" answer.
            _ when songId.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || songId.AsSpan().ContainsAnyInRange('\u007F', '\u009F')
                => "A song id cannot contain control characters.",
            _ => null,
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="songId"/> can be logged as it is.</summary>
    public static void Validate(string songId)
    {
        if (Problem(songId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(songId));
        }
    }
}
