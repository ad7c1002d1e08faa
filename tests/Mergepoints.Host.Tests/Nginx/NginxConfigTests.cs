using Mergepoints.Testing.Nginx;

namespace Mergepoints.Host.Tests.Nginx;

public sealed class NginxConfigTests
{
    [Fact]
    public async Task The_repositorys_nginx_conf_with_its_own_nginx_d_passes_nginx_t()
    {
        var (exitCode, output) = await NginxSite.TestRepositoryConfigAsync(TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, output);
        Assert.Contains("test is successful", output, StringComparison.Ordinal);
    }
}
