using System.Text;

namespace Mergepoints.Counter.Storage;

/// <summary>
/// What the log can hold as a song id: 1 to 128 bytes of valid UTF-8. The HTTP layer turns a bad id into a 400;
/// this is the storage's own guard, so a bad id can never reach the log and change on replay.
/// </summary>
internal static class SongId
{
    /// <summary>The longest id in UTF-8 bytes; one length byte holds it.</summary>
    public const int MaxBytes = 128;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="songId"/> can be logged as it is.</summary>
    public static void Validate(string songId)
    {
        ArgumentNullException.ThrowIfNull(songId);
        int bytes;
        try
        {
            bytes = Strict.GetByteCount(songId);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("A song id must be valid Unicode.", nameof(songId), e);
        }
        if (bytes is 0 or > MaxBytes)
        {
            throw new ArgumentException($"A song id must be 1 to {MaxBytes} UTF-8 bytes, not {bytes}.", nameof(songId));
        }
    }
}
