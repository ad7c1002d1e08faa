using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Serving;

public sealed class AspNetCoreMountEndToEndTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private RunningSite _site = null!;

    public async ValueTask InitializeAsync()
    {
        AspNetCorePlugin.Build(Path.Combine(_directory.Path, "shop"));
        _site = await RunningSite.StartAsync(_directory, $$"""
            {"mounts": [{"path": "/shop", "assembly": "shop/Shop.dll", "entry": "{{AspNetCorePlugin.Entry}}"}]}
            """);
    }

    [Fact]
    public async Task A_whole_ASP_NET_Core_app_answers_under_its_prefix_from_its_own_container()
    {
        var text = await _site.Client.GetStringAsync("/shop/hello/ann", TestContext.Current.CancellationToken);

        Assert.Equal("hello ann from the shop's own container base=/shop path=/hello/ann", text);
    }

    [Fact]
    public async Task A_response_streams_through_chunk_by_chunk()
    {
        await ArrivalLog.AssertStreamedAsync(_site.Client, "/shop/stream", ArrivalLog.FiveChunks);
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        _directory.Dispose();
    }
}
