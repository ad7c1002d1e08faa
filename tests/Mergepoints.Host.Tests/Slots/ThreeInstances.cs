using Mergepoints.Host.Tests.Infrastructure;

namespace Mergepoints.Host.Tests.Slots;

/// <summary>A three-slot site with the same <c>serve</c> command run three times, shared by tests that only look.</summary>
public sealed class ThreeInstances : IAsyncLifetime
{
    public SlotSite Site { get; } = new(3);

    /// <summary>The instances in the order they were started.</summary>
    public IReadOnlyList<HostProcess> Instances { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var instances = new List<HostProcess>();
        for (var i = 0; i < 3; i++)
        {
            instances.Add(await Site.StartAsync());
        }
        Instances = instances;
    }

    public ValueTask DisposeAsync() => Site.DisposeAsync();
}
