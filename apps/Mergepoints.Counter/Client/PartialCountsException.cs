namespace Mergepoints.Counter.Client;

/// <summary>
/// Get-all heard from some servers but not all. Thrown rather than returned so that nobody mistakes a partial set
/// for every count (a missing server's songs would read as never played); a caller that can use what there is
/// takes <see cref="Counts"/>.
/// </summary>
public sealed class PartialCountsException : Exception
{
    internal PartialCountsException(IReadOnlyDictionary<string, long> counts, IReadOnlyList<ServerFailure> failures, int servers)
        : base($"{servers - failures.Count} of {servers} counter servers answered; "
            + string.Join("; ", failures.Select(failure => $"{failure.Server}: {failure.Reason}")) + ".")
    {
        Counts = counts;
        Failures = failures;
    }

    /// <summary>The counts of the servers that answered, merged as a complete get-all would be.</summary>
    public IReadOnlyDictionary<string, long> Counts { get; }

    /// <summary>The servers that did not answer, each with the reason.</summary>
    public IReadOnlyList<ServerFailure> Failures { get; }
}
