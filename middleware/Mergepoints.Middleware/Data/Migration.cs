namespace Mergepoints.Middleware.Data;

/// <summary>
/// One versioned step of an app's schema. Versions count up from 1 per owner and are never edited once
/// shipped: a change is a new migration.
/// </summary>
/// <param name="Version">The step's number within its owner.</param>
/// <param name="Name">What the step does, for the log and the migrations table.</param>
/// <param name="Sql">The statements; the same text must run on SQLite and PostgreSQL.</param>
public sealed record Migration(int Version, string Name, string Sql);
