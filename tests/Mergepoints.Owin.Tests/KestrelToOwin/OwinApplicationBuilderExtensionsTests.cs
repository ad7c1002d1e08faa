using System.Text;
using Mergepoints.Owin.Dispatch;
using Mergepoints.Owin.KestrelToOwin;
using Mergepoints.Testing;

namespace Mergepoints.Owin.Tests.KestrelToOwin;

/// <summary>
/// A pure OWIN app (raw keys only, no ASP.NET Core type) mounted through the dispatcher at the end of a
/// Kestrel pipeline, spoken to over a socket.
/// </summary>
public sealed class OwinApplicationBuilderExtensionsTests
{
    [Fact]
    public async Task A_pure_OWIN_app_under_the_dispatcher_answers_over_a_socket()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var site = await KestrelSite.StartAsync(app => app.RunOwin(new PathDispatcher().Mount("/api", EchoApp).InvokeAsync), ct);

        using var answer = await site.Client.PostAsync("/api/song/7?plays=3", new StringContent("the body"), ct);

        Assert.Equal(201, (int)answer.StatusCode);
        Assert.Equal("counter", answer.Headers.GetValues("X-App").Single());
        Assert.Equal("text/plain; charset=utf-8", answer.Content.Headers.ContentType?.ToString());
        Assert.Equal("POST /api|/song/7 plays=3 the body", await answer.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task A_path_no_app_is_mounted_at_answers_404_over_a_socket()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var site = await KestrelSite.StartAsync(app => app.RunOwin(new PathDispatcher().Mount("/api", EchoApp).InvokeAsync), ct);

        using var answer = await site.Client.GetAsync("/apix/song/7", ct);

        Assert.Equal(404, (int)answer.StatusCode);
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_header_added_from_OnSendingHeaders_reaches_the_client()
    {
        var ct = TestContext.Current.CancellationToken;
        AppFunc app = async env =>
        {
            var register = (Action<Action<object>, object>)env["server.OnSendingHeaders"];
            register(state => ((IDictionary<string, string[]>)env["owin.ResponseHeaders"])["X-Sent-Late"] = [(string)state], "yes");
            await ((Stream)env["owin.ResponseBody"]).WriteAsync("body"u8.ToArray(), (CancellationToken)env["owin.CallCancelled"]);
        };
        await using var site = await KestrelSite.StartAsync(builder => builder.RunOwin(app), ct);

        using var answer = await site.Client.GetAsync("/", ct);

        Assert.Equal("yes", answer.Headers.GetValues("X-Sent-Late").Single());
        Assert.Equal("body", await answer.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task The_environment_carries_the_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        AppFunc app = env =>
        {
            var text = $"{env["server.RemoteIpAddress"]} {env["server.LocalIpAddress"]} {env["server.IsLocal"]} {env["owin.RequestScheme"]} {env["owin.RequestProtocol"]}";
            return ((Stream)env["owin.ResponseBody"]).WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();
        };
        await using var site = await KestrelSite.StartAsync(builder => builder.RunOwin(app), ct);

        Assert.Equal("127.0.0.1 127.0.0.1 True http HTTP/1.1", await site.Client.GetStringAsync("/", ct));
    }

    // Written as a team outside would: raw OWIN keys and BCL types only.
    private static async Task EchoApp(IDictionary<string, object> env)
    {
        var body = await new StreamReader((Stream)env["owin.RequestBody"]).ReadToEndAsync((CancellationToken)env["owin.CallCancelled"]);
        var text = Encoding.UTF8.GetBytes(
            $"{env["owin.RequestMethod"]} {env["owin.RequestPathBase"]}|{env["owin.RequestPath"]} {env["owin.RequestQueryString"]} {body}");
        var headers = (IDictionary<string, string[]>)env["owin.ResponseHeaders"];
        env["owin.ResponseStatusCode"] = 201;
        headers["X-App"] = ["counter"];
        headers["Content-Type"] = ["text/plain; charset=utf-8"];
        headers["Content-Length"] = [text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        await ((Stream)env["owin.ResponseBody"]).WriteAsync(text, (CancellationToken)env["owin.CallCancelled"]);
    }
}
