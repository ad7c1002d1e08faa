using System.Net;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Serving;

public sealed class LargeBodyTests : IDisposable
{
    private const long BodyBytes = 200L * 1024 * 1024;
    private const long AllowedGrowthBytes = 64L * 1024 * 1024;
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("/ext/sink")]
    [InlineData("/remote/sink")]
    public async Task A_200_MB_upload_streams_through_a_mount_while_the_host_memory_stays_flat(string url)
    {
        await using var backend = await Backend.StartAsync();
        HelloPlugin.Build(Path.Combine(_directory.Path, "plugins"));
        var config = _directory.Write("site.json", $$"""
            {"mounts": [
              {"path": "/ext", "assembly": "plugins/Hello.dll", "entry": "Hello.App.Create"},
              {"path": "/remote", "proxy": "{{backend.Url}}"}
            ]}
            """);
        await using var host = await HostProcess.StartAsync(config, Path.Combine(_directory.Path, "data"));
        using var client = new HttpClient { BaseAddress = host.Url, Timeout = TimeSpan.FromMinutes(5) };
        await client.GetAsync("/remote/echo/warm-up", TestContext.Current.CancellationToken);
        var before = host.PeakResidentBytes();

        using var response = await client.PostAsync(url, new GeneratedContent(BodyBytes), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var growth = host.PeakResidentBytes() - before;
        Assert.True(growth < AllowedGrowthBytes, $"the host's peak memory grew by {growth / (1024 * 1024)} MB for a {BodyBytes / (1024 * 1024)} MB body");
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A body made on the fly, never held whole in the client either.</summary>
    private sealed class GeneratedContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var block = new byte[64 * 1024];
            Random.Shared.NextBytes(block);
            for (long sent = 0; sent < length; sent += block.Length)
            {
                await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = length;
            return true;
        }
    }
}
