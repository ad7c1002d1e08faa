namespace Mergepoints.Admin.Counter;

/// <summary>The plays the counters hold and have not yet written into the database, added up over every server.</summary>
/// <param name="Counts">Plays by song id.</param>
/// <param name="Failures">The servers that could not be read, with why; their plays are missing from <paramref name="Counts"/>.</param>
public sealed record LiveCounts(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<CounterAnswer> Failures);
