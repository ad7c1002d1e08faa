namespace Mergepoints.Host.Tests.Cluster;

/// <summary>
/// One <see cref="ClusterSite"/> with two counter shards and two worker processes, shared by a test class's tests
/// (a dozen processes take a while to start on two cores). Started by the first test that asks, so that a missing
/// nginx or PostgreSQL skips the tests (fails them in CI) instead of failing the fixture.
/// </summary>
public sealed class ClusterFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private Task<ClusterSite>? _site;

    /// <summary>The cluster, started on the first call; a start that failed or skipped does so for every test.</summary>
    public async Task<ClusterSite> SiteAsync()
    {
        await _starting.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            _site ??= ClusterSite.StartAsync(shards: 2, workers: 2, TestContext.Current.CancellationToken);
        }
        finally
        {
            _starting.Release();
        }
        return await _site;
    }

    /// <summary>See <see cref="ClusterSite.ReportIfFailed"/>; nothing when the cluster never started.</summary>
    public void ReportIfFailed()
    {
        if (_site is { IsCompletedSuccessfully: true })
        {
            _site.Result.ReportIfFailed();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_site is { IsCompletedSuccessfully: true })
        {
            await _site.Result.DisposeAsync();
        }
        _starting.Dispose();
    }
}
