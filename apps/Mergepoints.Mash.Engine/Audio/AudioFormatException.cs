namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// Audio the engine cannot use, for a reason the user caused or can fix: a corrupt or truncated file, a format it
/// does not read, ffmpeg missing. The message is one line fit to show them as it is.
/// </summary>
public sealed class AudioFormatException : Exception
{
    /// <summary>An error whose message is shown to the user as it is.</summary>
    public AudioFormatException(string message)
        : base(message)
    {
    }

    /// <summary>An error whose message is shown to the user; <paramref name="innerException"/> is for the log.</summary>
    public AudioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>For serializers and analyzers; the engine always gives a message.</summary>
    public AudioFormatException()
        : base("unreadable audio")
    {
    }
}
