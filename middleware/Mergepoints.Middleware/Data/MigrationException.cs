namespace Mergepoints.Middleware.Data;

/// <summary>A migration that failed; the schema is as it was before that migration began.</summary>
public sealed class MigrationException(string message, Exception inner) : Exception(message, inner);
