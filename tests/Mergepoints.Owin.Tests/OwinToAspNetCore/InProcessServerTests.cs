using Mergepoints.Owin.Contract;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mergepoints.Owin.Tests.OwinToAspNetCore;

/// <summary>A whole WebApplication mounted as an AppFunc, fed plain OWIN environments with no Kestrel underneath.</summary>
public sealed class InProcessServerTests
{
    [Fact]
    public async Task The_apps_own_services_and_routes_answer_below_the_mount_prefix()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestWebApplication.StartInProcessAsync(
            app => app.MapGet("/hello/{name}", (string name, Greeting greeting, HttpContext context) =>
                $"{greeting.Word} {name} at {context.Request.PathBase}|{context.Request.Path}"),
            ct,
            services => services.AddSingleton(new Greeting("Hello")));
        var env = PlainEnvironment.Create("/hello/ada", pathBase: "/inner");

        await app.AsAppFunc()(env);

        Assert.Equal(200, new OwinContext(env).ResponseStatusCode);
        Assert.Equal("Hello ada at /inner|/hello/ada", PlainEnvironment.ResponseText(env));
        Assert.StartsWith("text/plain", PlainEnvironment.ResponseHeaders(env)["Content-Type"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_sees_the_path_without_the_prefix()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestWebApplication.StartInProcessAsync(app => app.MapGet("/inner/hello", () => "matched the prefix"), ct);
        var env = PlainEnvironment.Create("/hello", pathBase: "/inner");

        await app.AsAppFunc()(env);

        Assert.Equal(404, env[OwinKeys.ResponseStatusCode]);
        Assert.Equal("", PlainEnvironment.ResponseText(env));
    }

    [Fact]
    public async Task A_hosted_service_of_the_mounted_app_starts_with_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = TestWebApplication.CreateInProcessBuilder();
        var worker = new StartRecorder();
        builder.Services.AddHostedService(_ => worker);
        await using var app = builder.Build();

        Assert.False(worker.Started);
        await app.StartAsync(ct);

        Assert.True(worker.Started);
    }

    [Fact]
    public async Task After_the_app_stops_its_AppFunc_answers_503()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestWebApplication.StartInProcessAsync(app => app.MapGet("/", () => "up"), ct);
        var appFunc = app.AsAppFunc();

        await app.StopAsync(ct);
        var env = PlainEnvironment.Create("/");
        await appFunc(env);

        Assert.Equal(503, env[OwinKeys.ResponseStatusCode]);
        Assert.DoesNotContain("up", PlainEnvironment.ResponseText(env), StringComparison.Ordinal);
        Assert.StartsWith("text/plain", PlainEnvironment.ResponseHeaders(env)["Content-Type"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_scoped_service_is_disposed_when_the_request_ends_whether_or_not_the_app_throws()
    {
        var ct = TestContext.Current.CancellationToken;
        var scoped = new List<ScopedThing>();
        await using var app = await TestWebApplication.StartInProcessAsync(
            app =>
            {
                app.MapGet("/ok", (ScopedThing _) => "fine");
                app.MapGet("/fail", string (ScopedThing _) => throw new InvalidOperationException("failed"));
            },
            ct,
            services => services.AddScoped(_ =>
            {
                var thing = new ScopedThing();
                scoped.Add(thing);
                return thing;
            }));

        await app.AsAppFunc()(PlainEnvironment.Create("/ok"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.AsAppFunc()(PlainEnvironment.Create("/fail")));

        Assert.Equal(2, scoped.Count);
        Assert.All(scoped, thing => Assert.True(thing.Disposed));
    }

    [Fact]
    public async Task AsAppFunc_before_StartAsync_says_to_start_the_app()
    {
        await using var app = TestWebApplication.CreateInProcessBuilder().Build();

        var refused = Assert.Throws<InvalidOperationException>(() => app.AsAppFunc());

        Assert.Contains("StartAsync", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsAppFunc_of_an_app_on_its_own_server_says_to_call_UseInProcessServer()
    {
        await using var app = TestWebApplication.CreateBuilder().Build();

        var refused = Assert.Throws<InvalidOperationException>(() => app.AsAppFunc());

        Assert.Contains("UseInProcessServer", refused.Message, StringComparison.Ordinal);
    }

    private sealed record Greeting(string Word);

    private sealed class ScopedThing : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class StartRecorder : IHostedService
    {
        public bool Started { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
