using System.Security.Claims;
using System.Text;
using Mergepoints.Owin.Contract;
using Microsoft.AspNetCore.Http;

namespace Mergepoints.Owin.Tests.OwinToAspNetCore;

/// <summary>
/// An ASP.NET Core handler reached through a plain OWIN environment, no HttpContext underneath: the request is
/// read from the environment, the response lands in it, and the lifetime hooks a server owes an app all work.
/// </summary>
public sealed class EnvironmentFeaturesTests
{
    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task The_request_is_read_from_the_environment(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mounted = await MountedPipeline.StartAsync(way, async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            var r = context.Request;
            await context.Response.WriteAsync($"{r.Method} {r.Scheme} {r.PathBase}|{r.Path} {r.QueryString} {r.Query["song"]} {r.Headers["x-thing"]} {r.Protocol} {body}");
        }, ct);
        var env = PlainEnvironment.Create("/songs", pathBase: "/api", method: "POST", query: "song=7");
        ((IDictionary<string, string[]>)env[OwinKeys.RequestHeaders])["X-Thing"] = ["one"];
        env[OwinKeys.RequestBody] = new MemoryStream(Encoding.UTF8.GetBytes("the body"));

        await mounted.App(env);

        Assert.Equal("POST http /api|/songs ?song=7 7 one HTTP/1.1 the body", PlainEnvironment.ResponseText(env));
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task Status_headers_and_body_land_in_the_environment(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mounted = await MountedPipeline.StartAsync(way, async context =>
        {
            context.Response.StatusCode = 418;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers["X-Many"] = new(["a", "b"]);
            await context.Response.WriteAsync("short and stout");
            await context.Response.Body.WriteAsync("!"u8.ToArray());
        }, ct);
        var env = PlainEnvironment.Create("/");

        await mounted.App(env);

        Assert.Equal(418, env[OwinKeys.ResponseStatusCode]);
        var headers = PlainEnvironment.ResponseHeaders(env);
        Assert.Equal(["text/plain; charset=utf-8"], headers["content-type"]);
        Assert.Equal(["a", "b"], headers["X-Many"]);
        Assert.Equal("short and stout!", PlainEnvironment.ResponseText(env));
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task OnStarting_callbacks_run_before_the_first_byte_is_written(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        var env = PlainEnvironment.Create("/");
        var body = (MemoryStream)env[OwinKeys.ResponseBody];
        var order = new List<string>();
        await using var mounted = await MountedPipeline.StartAsync(way, async context =>
        {
            context.Response.OnStarting(() =>
            {
                order.Add($"first registered, {body.Length} bytes out");
                return Task.CompletedTask;
            });
            context.Response.OnStarting(() =>
            {
                order.Add($"second registered, {body.Length} bytes out");
                context.Response.Headers["X-Started"] = "yes";
                return Task.CompletedTask;
            });
            await context.Response.WriteAsync("hello");
            await context.Response.WriteAsync(" again");
        }, ct);

        await mounted.App(env);

        Assert.Equal(["second registered, 0 bytes out", "first registered, 0 bytes out"], order);
        Assert.Equal(["yes"], PlainEnvironment.ResponseHeaders(env)["X-Started"]);
        Assert.Equal("hello again", PlainEnvironment.ResponseText(env));
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task OnStarting_callbacks_run_even_when_the_app_writes_no_body(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mounted = await MountedPipeline.StartAsync(way, context =>
        {
            context.Response.StatusCode = 204;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["X-Started"] = "yes";
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        }, ct);
        var env = PlainEnvironment.Create("/");

        await mounted.App(env);

        Assert.Equal(204, env[OwinKeys.ResponseStatusCode]);
        Assert.Equal(["yes"], PlainEnvironment.ResponseHeaders(env)["X-Started"]);
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task OnCompleted_callbacks_run_after_the_app_returns(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        var env = PlainEnvironment.Create("/");
        var handlerDone = false;
        var completed = new List<string>();
        await using var mounted = await MountedPipeline.StartAsync(way, async context =>
        {
            context.Response.OnCompleted(() =>
            {
                completed.Add($"handler done: {handlerDone}, body: {PlainEnvironment.ResponseText(env)}");
                return Task.CompletedTask;
            });
            await context.Response.WriteAsync("all of it");
            handlerDone = true;
        }, ct);

        await mounted.App(env);

        Assert.Equal(["handler done: True, body: all of it"], completed);
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task OnCompleted_callbacks_run_when_the_app_throws_and_the_exception_reaches_the_caller(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        var completed = 0;
        await using var mounted = await MountedPipeline.StartAsync(way, context =>
        {
            context.Response.OnCompleted(() =>
            {
                completed++;
                return Task.CompletedTask;
            });
            throw new InvalidOperationException("the app failed");
        }, ct);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => mounted.App(PlainEnvironment.Create("/")));

        Assert.Equal("the app failed", thrown.Message);
        Assert.Equal(1, completed);
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task Abort_cancels_RequestAborted(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        bool? abortedBefore = null, abortedAfter = null;
        await using var mounted = await MountedPipeline.StartAsync(way, context =>
        {
            abortedBefore = context.RequestAborted.IsCancellationRequested;
            context.Abort();
            abortedAfter = context.RequestAborted.IsCancellationRequested;
            return Task.CompletedTask;
        }, ct);

        await mounted.App(PlainEnvironment.Create("/"));

        Assert.False(abortedBefore);
        Assert.True(abortedAfter);
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task A_client_gone_per_CallCancelled_cancels_RequestAborted(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        bool? aborted = null;
        await using var mounted = await MountedPipeline.StartAsync(way, context =>
        {
            aborted = context.RequestAborted.IsCancellationRequested;
            return Task.CompletedTask;
        }, ct);
        using var clientGone = new CancellationTokenSource();
        var env = PlainEnvironment.Create("/");
        env[OwinKeys.CallCancelled] = clientGone.Token;
        await clientGone.CancelAsync();

        await mounted.App(env);

        Assert.True(aborted);
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task Items_and_environment_keys_are_one_and_the_same(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        object? seenInside = null;
        await using var mounted = await MountedPipeline.StartAsync(way, context =>
        {
            seenInside = context.Items["outer.key"];
            context.Items["inner.key"] = "set inside";
            context.Items.Remove("outer.removed");
            return Task.CompletedTask;
        }, ct);
        var env = PlainEnvironment.Create("/");
        env["outer.key"] = "set outside";
        env["outer.removed"] = "going";

        await mounted.App(env);

        Assert.Equal("set outside", seenInside);
        Assert.Equal("set inside", env["inner.key"]);
        Assert.False(env.ContainsKey("outer.removed"));
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task The_environment_user_is_HttpContext_User(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        var ada = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        var grace = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "grace")], "test"));
        ClaimsPrincipal? seenInside = null;
        await using var mounted = await MountedPipeline.StartAsync(way, context =>
        {
            seenInside = context.User;
            context.User = grace;
            return Task.CompletedTask;
        }, ct);
        var env = PlainEnvironment.Create("/");
        env[OwinKeys.User] = ada;

        await mounted.App(env);

        Assert.Same(ada, seenInside);
        Assert.Same(grace, env[OwinKeys.User]);
    }

    [Theory]
    [MemberData(nameof(MountedPipeline.Ways), MemberType = typeof(MountedPipeline))]
    public async Task Without_a_user_in_the_environment_the_app_sees_one_anonymous_user_all_request_long(string way)
    {
        var ct = TestContext.Current.CancellationToken;
        var seen = new List<ClaimsPrincipal>();
        await using var mounted = await MountedPipeline.StartAsync(way, context =>
        {
            seen.Add(context.User);
            context.User.AddIdentity(new ClaimsIdentity([new Claim("role", "listener")]));
            seen.Add(context.User);
            return Task.CompletedTask;
        }, ct);
        var env = PlainEnvironment.Create("/");

        await mounted.App(env);

        Assert.False(seen[0].Identity?.IsAuthenticated);
        Assert.Same(seen[0], seen[1]);
        Assert.True(seen[1].HasClaim("role", "listener"));
        Assert.Same(seen[0], env[OwinKeys.User]);
    }
}
