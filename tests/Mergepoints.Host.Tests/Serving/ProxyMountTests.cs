using System.Net;
using System.Net.WebSockets;
using System.Text;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Serving;

public sealed class ProxyMountTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private Backend _backend = null!;
    private RunningSite _site = null!;

    public async ValueTask InitializeAsync()
    {
        _backend = await Backend.StartAsync();
        _site = await RunningSite.StartAsync(_directory, $$"""
            {"mounts": [
              {"path": "/legacy", "proxy": "{{_backend.Url}}", "timeout": 1},
              {"path": "/gone", "proxy": "http://127.0.0.1:{{ClosedPort()}}"}
            ]}
            """);
    }

    [Fact]
    public async Task The_prefix_is_stripped_and_the_backend_learns_it_from_X_Forwarded_headers()
    {
        var text = await _site.Client.GetStringAsync("/legacy/echo/a?b=1", TestContext.Current.CancellationToken);

        Assert.Equal($"path=/echo/a?b=1 for=127.0.0.1 proto=http host={_site.Url.Authority} prefix=/legacy", text);
    }

    [Fact]
    public async Task A_redirect_to_the_backends_own_root_stays_under_the_mount()
    {
        using var relative = await _site.Client.GetAsync("/legacy/redirect", TestContext.Current.CancellationToken);
        using var absolute = await _site.Client.GetAsync("/legacy/absolute-redirect", TestContext.Current.CancellationToken);
        using var elsewhere = await _site.Client.GetAsync("/legacy/elsewhere", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, relative.StatusCode);
        Assert.Equal("/legacy/login?next=%2F", relative.Headers.Location?.OriginalString);
        Assert.Equal("/legacy/login", absolute.Headers.Location?.OriginalString);
        Assert.Equal("https://example.org/x", elsewhere.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Cookies_the_backend_sets_on_its_root_are_scoped_to_the_mount()
    {
        using var response = await _site.Client.GetAsync("/legacy/cookie", TestContext.Current.CancellationToken);

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains("sid=1; path=/legacy; httponly", cookies);
        Assert.Contains("pref=x; path=/legacy/settings", cookies);
    }

    [Fact]
    public async Task The_hosts_session_cookie_stays_with_the_host()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/legacy/cookies");
        request.Headers.Add("Cookie", "mergepoints_session=secret; theme=dark");

        using var response = await _site.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("cookie=theme=dark", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_backend_cannot_steer_nginx_with_any_X_Accel_header()
    {
        using var response = await _site.Client.GetAsync("/legacy/accel", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["yes"], response.Headers.GetValues("X-Kept"));
        Assert.All(Backend.AccelHeaders, name => Assert.False(response.Headers.Contains(name), $"{name} came through"));
    }

    [Fact]
    public async Task A_slow_backend_gives_504_with_a_body_that_names_the_mount()
    {
        using var response = await _site.Client.GetAsync("/legacy/slow", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("the service mounted at /legacy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_backend_gives_502_with_a_body_that_names_the_mount()
    {
        using var response = await _site.Client.GetAsync("/gone/anything", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith("502 Bad Gateway: the service mounted at /gone", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_streams_through_chunk_by_chunk()
    {
        await ArrivalLog.AssertStreamedAsync(_site.Client, "/legacy/stream", ArrivalLog.FiveChunks);
    }

    [Fact]
    public async Task Server_sent_events_arrive_as_they_are_sent()
    {
        await ArrivalLog.AssertStreamedAsync(_site.Client, "/legacy/events", ArrivalLog.FiveEvents);
    }

    [Fact]
    public async Task An_event_stream_tells_nginx_not_to_buffer_it()
    {
        using var response = await _site.Client.GetAsync("/legacy/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        Assert.Equal(["no"], response.Headers.GetValues("X-Accel-Buffering"));
    }

    [Fact]
    public async Task A_websocket_passes_through_to_the_backend()
    {
        using var socket = new ClientWebSocket();
        var cancel = TestContext.Current.CancellationToken;
        await socket.ConnectAsync(new Uri($"ws://{_site.Url.Authority}/legacy/ws"), cancel);

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, cancel);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, cancel);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel);

        Assert.Equal("echo: hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        await _backend.DisposeAsync();
        _directory.Dispose();
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
