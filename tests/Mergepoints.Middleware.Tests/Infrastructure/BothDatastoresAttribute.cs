using System.Reflection;
using Mergepoints.Middleware.Data;
using Xunit.Sdk;
using Xunit.v3;

namespace Mergepoints.Middleware.Tests.Infrastructure;

/// <summary>Runs a theory once per <see cref="DatastoreKind"/>: the same SQL must behave the same on both.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothDatastoresAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new([new TheoryDataRow<DatastoreKind>(DatastoreKind.Sqlite), new TheoryDataRow<DatastoreKind>(DatastoreKind.Postgres)]);

    public override bool SupportsDiscoveryEnumeration() => true;
}
