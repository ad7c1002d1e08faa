namespace Mergepoints.Mash.Jobs;

/// <summary>
/// A failure that trying again cannot fix (a song that is gone, a file no decoder reads): the worker fails the job
/// at once, keeping this message for the user, instead of spending the job's other attempts and backoffs on it.
/// </summary>
public sealed class PermanentJobException : Exception
{
    /// <summary>A failure shown to the user as <paramref name="message"/>.</summary>
    public PermanentJobException(string message)
        : base(message)
    {
    }

    /// <summary>A failure shown to the user as <paramref name="message"/>; <paramref name="innerException"/> is for the log.</summary>
    public PermanentJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>For serializers and analyzers; handlers always give a message.</summary>
    public PermanentJobException()
        : base("The job cannot succeed.")
    {
    }
}
