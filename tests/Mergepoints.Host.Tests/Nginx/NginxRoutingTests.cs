using System.Net;
using System.Net.WebSockets;
using System.Text;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;
using Mergepoints.Testing.Nginx;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Host.Tests.Nginx;

/// <summary>Where the repository's nginx.conf sends a request: instances, shards, and through the host to a proxied service.</summary>
public sealed class NginxRoutingTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Blobs => Path.Combine(_directory.Path, "blobs");

    [Fact]
    public async Task Each_song_always_reaches_the_same_shard_and_the_songs_spread_over_every_shard()
    {
        await using var instance = await NamedServer.StartAsync("instance");
        await using var shardA = await NamedServer.StartAsync("shard-a");
        await using var shardB = await NamedServer.StartAsync("shard-b");
        await using var nginx = await NginxSite.StartAsync([instance.Server], [shardA.Server, shardB.Server], Blobs, Cancel);

        var owners = new List<string>();
        for (var song = 1; song <= 40; song++)
        {
            var first = await nginx.Client.GetStringAsync($"/api/song/{song}", Cancel);
            var again = await nginx.Client.GetStringAsync($"/api/song/{song}", Cancel);
            Assert.Equal(first, again);
            Assert.EndsWith($" /api/song/{song}", first, StringComparison.Ordinal);
            owners.Add(first.Split(' ')[0]);
        }
        var everyOther = await nginx.Client.GetStringAsync("/api/", Cancel);

        Assert.Equal(["shard-a", "shard-b"], owners.Distinct().Order());
        Assert.Equal("instance /api/", everyOther);
    }

    [Fact]
    public async Task A_song_named_events_is_counted_on_its_shard_like_any_other()
    {
        await using var instance = await NamedServer.StartAsync("instance");
        await using var shardA = await NamedServer.StartAsync("shard-a");
        await using var shardB = await NamedServer.StartAsync("shard-b");
        await using var nginx = await NginxSite.StartAsync([instance.Server], [shardA.Server, shardB.Server], Blobs, Cancel);

        var answer = await nginx.Client.GetStringAsync("/api/song/events", Cancel);

        Assert.Matches("^shard-[ab] /api/song/events$", answer);
    }

    [Fact]
    public async Task A_song_on_a_shard_that_is_down_is_a_one_line_502_in_plain_text()
    {
        await using var instance = await NamedServer.StartAsync("instance");
        var nobody = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        await using var nginx = await NginxSite.StartAsync([instance.Server], [nobody], Blobs, Cancel);

        using var response = await nginx.Client.GetAsync("/api/song/7", Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The counter shard that holds this song did not answer. Try again later.\n", body);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task Only_a_plain_answer_for_a_script_gets_an_hour_in_public_caches_not_a_redirect_nor_a_cookie()
    {
        await using var app = await KestrelSite.StartAsync(web =>
        {
            web.MapGet("/plain.js", () => "let a;");
            web.MapGet("/admin/x.js", (HttpResponse response) => response.Redirect("/sign-in?next=/admin/x.js"));
            web.MapGet("/session.js", (HttpResponse response) =>
            {
                response.Cookies.Append("sid", "secret");
                return "let b;";
            });
        }, Cancel);
        await using var nginx = await NginxSite.StartAsync([NginxSite.ServerOf(app.Url)], [], Blobs, Cancel);

        using var plain = await nginx.Client.GetAsync("/plain.js", Cancel);
        using var redirect = await nginx.Client.GetAsync("/admin/x.js", Cancel);
        using var session = await nginx.Client.GetAsync("/session.js", Cancel);

        Assert.Equal("public, max-age=3600", plain.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Null(redirect.Headers.CacheControl);
        Assert.True(session.Headers.Contains("Set-Cookie"));
        Assert.Null(session.Headers.CacheControl);
    }

    [Fact]
    public async Task A_stopped_instance_costs_no_failed_GET()
    {
        await using var first = await NamedServer.StartAsync("first");
        var second = await NamedServer.StartAsync("second");
        await using var nginx = await NginxSite.StartAsync([first.Server, second.Server], [], Blobs, Cancel);
        Assert.Equal(["first /", "second /"], (await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => nginx.Client.GetStringAsync("/", Cancel)))).Distinct().Order());

        await second.DisposeAsync();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await nginx.Client.GetAsync("/", Cancel);
            answers.Add(response.StatusCode);
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task A_websocket_passes_nginx_and_the_hosts_proxy_mount_both_ways()
    {
        await using var backend = await Backend.StartAsync();
        await using var site = await FrontedSite.StartAsync(_directory, $$"""{"mounts": [{"path": "/legacy", "proxy": "{{backend.Url}}"}]}""");
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new Uri($"ws://{site.Nginx.Url.Authority}/legacy/ws"), Cancel);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, Cancel);
        var buffer = new byte[100];
        var received = await socket.ReceiveAsync(buffer, Cancel);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Cancel);

        Assert.Equal("echo: hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    [Fact]
    public async Task The_client_host_and_scheme_reach_the_app_from_nginx_and_a_clients_own_forwarded_headers_do_not()
    {
        await using var backend = await Backend.StartAsync();
        await using var site = await FrontedSite.StartAsync(_directory, $$"""{"mounts": [{"path": "/legacy", "proxy": "{{backend.Url}}"}]}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/legacy/echo/x");
        request.Headers.Host = "shop.example";
        foreach (var (name, value) in ((string, string)[])[("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Prefix", "/evil"), ("X-Forwarded-For", "203.0.113.7")])
        {
            request.Headers.Add(name, value);
        }

        var seen = await (await site.Nginx.Client.SendAsync(request, Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Equal("path=/echo/x for=127.0.0.1 proto=http host=shop.example prefix=/legacy", seen);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A server that answers every request with its name and the path it got: which one nginx chose.</summary>
    private sealed class NamedServer : IAsyncDisposable
    {
        private readonly KestrelSite _site;

        private NamedServer(KestrelSite site) => _site = site;

        public string Server => NginxSite.ServerOf(_site.Url);

        public static async Task<NamedServer> StartAsync(string name) => new(await KestrelSite.StartAsync(
            app => app.Run(context => context.Response.WriteAsync($"{name} {context.Request.Path}", context.RequestAborted)), Cancel));

        public ValueTask DisposeAsync() => _site.DisposeAsync();
    }
}
