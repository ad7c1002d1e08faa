using Mergepoints.Middleware.Data;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>The Hello site on PostgreSQL.</summary>
public sealed class PostgresHelloSite() : HelloSiteBase(DatastoreKind.Postgres);
