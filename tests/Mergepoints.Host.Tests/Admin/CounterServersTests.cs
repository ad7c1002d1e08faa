using Mergepoints.Admin;
using Mergepoints.Admin.Counter;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Host.Tests.Admin;

/// <summary>Which counters the admin asks: the configured ones, or this host's own at an address it can reach.</summary>
public sealed class CounterServersTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/api/")]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000/api/")]
    [InlineData("http://[::]:5000", "http://[::1]:5000/api/")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/api/")]
    [InlineData("https://localhost:5001/", "https://localhost:5001/api/")]
    public void Without_counter_urls_the_hosts_first_listen_address_is_asked_at_the_counters_path(string address, string expected)
    {
        var servers = new CounterServers(new AdminOptions(), new ListeningServer(address, "http://127.0.0.1:6000"));

        Assert.Equal([new Uri(expected)], servers.Current());
    }

    [Fact]
    public void The_counters_mount_path_is_followed_and_configured_urls_win_over_the_host()
    {
        var host = new ListeningServer("http://127.0.0.1:5000");

        var mounted = new CounterServers(new AdminOptions { CounterPath = "/plays" }, host).Current();
        var configured = new CounterServers(new AdminOptions { CounterUrls = ["http://10.0.0.1:5000/api", "http://10.0.0.2:5000/api/"] }, host).Current();
        var nowhere = new CounterServers(new AdminOptions(), hostServer: null).Current();

        Assert.Equal([new Uri("http://127.0.0.1:5000/plays/")], mounted);
        Assert.Equal([new Uri("http://10.0.0.1:5000/api/"), new Uri("http://10.0.0.2:5000/api/")], configured);
        Assert.Empty(nowhere);
    }

    [Theory]
    [InlineData("ftp://10.0.0.1/api")]
    [InlineData("/api")]
    [InlineData("http://10.0.0.1/api?x=1")]
    public void A_counter_url_that_is_not_one_is_a_problem_naming_it(string url) =>
        Assert.Contains($"\"{url}\" is not one", new AdminOptions { CounterUrls = [url] }.Problem(), StringComparison.Ordinal);

    private sealed class ListeningServer : IServer
    {
        public ListeningServer(params string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }
            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
