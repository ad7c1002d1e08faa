namespace Mergepoints.Counter.Client;

/// <summary>
/// Which servers a reset cleared and which it did not. A result rather than an exception: a reset across servers
/// is not all or nothing, and the caller needs both lists to reset the failed ones again (a reset is safe to
/// repeat; a failed server may or may not have been cleared).
/// </summary>
public sealed class ResetResult
{
    internal ResetResult(IReadOnlyList<Uri> succeeded, IReadOnlyList<ServerFailure> failed)
    {
        Succeeded = succeeded;
        Failed = failed;
    }

    /// <summary>The servers that answered OK, in the order the options list them.</summary>
    public IReadOnlyList<Uri> Succeeded { get; }

    /// <summary>The servers that refused or did not answer, each with the reason.</summary>
    public IReadOnlyList<ServerFailure> Failed { get; }

    /// <summary>Whether every server was cleared.</summary>
    public bool AllSucceeded => Failed.Count == 0;
}
