namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>A running host with the Hello plugin at <c>/ext</c>, shared by the tests of one class.</summary>
public sealed class HelloSite : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public RunningSite Site { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        HelloPlugin.Build(Path.Combine(_directory.Path, "plugins"));
        Site = await RunningSite.StartAsync(_directory, $$"""
            {"mounts": [{"path": "/ext", "assembly": "plugins/Hello.dll", "entry": "{{HelloPlugin.Entry}}"}]}
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await Site.DisposeAsync();
        _directory.Dispose();
    }
}
