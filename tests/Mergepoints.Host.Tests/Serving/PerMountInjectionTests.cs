using System.Net;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Serving;

public sealed class PerMountInjectionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task With_inject_on_one_mount_only_that_mount_gets_the_database()
    {
        HelloPlugin.Build(Path.Combine(_directory.Path, "plugins"));
        await using var site = await RunningSite.StartAsync(_directory, """
            {"mounts": [
              {"path": "/with", "assembly": "plugins/Hello.dll", "entry": "Hello.App.Create", "inject": true},
              {"path": "/without", "assembly": "plugins/Hello.dll", "entry": "Hello.App.Create"}
            ]}
            """);

        var with = await site.Client.GetStringAsync("/with/me", TestContext.Current.CancellationToken);
        using var without = await site.Client.GetAsync("/without/me", TestContext.Current.CancellationToken);
        var whoami = await site.Client.GetStringAsync("/_mergepoints/whoami", TestContext.Current.CancellationToken);

        Assert.Equal("user=anonymous admin=False users=0 site=", with);
        Assert.Equal(HttpStatusCode.InternalServerError, without.StatusCode);
        Assert.Equal("""{"anonymous":true}""", whoami);
    }

    public void Dispose() => _directory.Dispose();
}
