using System.Security.Claims;
using Mergepoints.Owin.Dispatch;
using Mergepoints.Owin.KestrelToOwin;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Mergepoints.Testing;

namespace Mergepoints.Owin.Tests.OwinToAspNetCore;

/// <summary>
/// A whole WebApplication (its own DI) mounted at /inner of an outer WebApplication on real Kestrel:
/// <c>outer.RunOwin(new PathDispatcher().Mount("/inner", inner.AsAppFunc()).InvokeAsync)</c>, spoken to over a socket.
/// The inner app runs on a layer over the outer request's features.
/// </summary>
public sealed class BridgedRequestTests
{
    [Fact]
    public async Task The_inner_app_answers_under_its_prefix_and_sees_it_as_PathBase()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var inner = await StartInnerAsync(app => app.MapPost("/songs/{id}", (string id, HttpContext context) =>
            Results.Text($"{id} at {context.Request.PathBase}|{context.Request.Path}", statusCode: 201)), ct);
        await using var site = await StartOuterAsync(inner, new AroundTheCall(), ct);

        using var created = await site.Client.PostAsync("/inner/songs/7", null, ct);
        using var unmounted = await site.Client.GetAsync("/outside", ct);

        Assert.Equal(201, (int)created.StatusCode);
        Assert.Equal("7 at /inner|/songs/7", await created.Content.ReadAsStringAsync(ct));
        Assert.Equal(404, (int)unmounted.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Each_app_resolves_from_its_own_container(bool outerResolvesFirst)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var inner = await StartInnerAsync(app => app.MapGet("/services", (HttpContext context) =>
            $"inner: {context.RequestServices.GetService<InnerOnly>() is not null}, outer: {context.RequestServices.GetService<OuterOnly>() is not null}"), ct);
        var around = new AroundTheCall(
            before: context =>
            {
                if (outerResolvesFirst)
                {
                    context.RequestServices.GetRequiredService<OuterOnly>();
                }
            },
            after: context => $"outer: {context.RequestServices.GetService<OuterOnly>() is not null}");
        await using var site = await StartOuterAsync(inner, around, ct);

        Assert.Equal("inner: True, outer: False", await site.Client.GetStringAsync("/inner/services", ct));
        Assert.Equal("outer: True", await around.SeenAfter(ct));
    }

    [Fact]
    public async Task The_inner_apps_routing_leaves_the_outer_request_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var inner = await StartInnerAsync(app => app.MapGet("/songs/{id}", (string id) => id).WithDisplayName("inner song"), ct);
        var around = new AroundTheCall(after: context =>
            $"endpoint: {context.GetEndpoint()?.DisplayName ?? "none"}, route values: {context.Request.RouteValues.Count}");
        await using var site = await StartOuterAsync(inner, around, ct);

        Assert.Equal("7", await site.Client.GetStringAsync("/inner/songs/7", ct));
        Assert.Equal("endpoint: none, route values: 0", await around.SeenAfter(ct));
    }

    [Fact]
    public async Task IHttpContextAccessor_gives_each_app_its_own_HttpContext_before_and_after_the_call()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var inner = await StartInnerAsync(app => app.MapGet("/accessor", (HttpContext context, IHttpContextAccessor accessor) =>
            $"inner sees its own: {ReferenceEquals(accessor.HttpContext, context)}"), ct, services => services.AddHttpContextAccessor());
        var sawBefore = false;
        var around = new AroundTheCall(
            before: context => sawBefore = ReferenceEquals(context.RequestServices.GetRequiredService<IHttpContextAccessor>().HttpContext, context),
            after: context => $"before: {sawBefore}, after: {ReferenceEquals(context.RequestServices.GetRequiredService<IHttpContextAccessor>().HttpContext, context)}");
        await using var site = await StartOuterAsync(inner, around, ct, services => services.AddHttpContextAccessor());

        Assert.Equal("inner sees its own: True", await site.Client.GetStringAsync("/inner/accessor", ct));
        Assert.Equal("before: True, after: True", await around.SeenAfter(ct));
    }

    [Fact]
    public async Task Items_cross_the_bridge_both_ways()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var inner = await StartInnerAsync(app => app.MapGet("/items", (HttpContext context) =>
        {
            context.Items["set.inside"] = "from the inner app";
            return $"{context.Items["set.outside"]}";
        }), ct);
        var around = new AroundTheCall(
            before: context => context.Items["set.outside"] = "from the outer middleware",
            after: context => $"{context.Items["set.inside"]}");
        await using var site = await StartOuterAsync(inner, around, ct);

        Assert.Equal("from the outer middleware", await site.Client.GetStringAsync("/inner/items", ct));
        Assert.Equal("from the inner app", await around.SeenAfter(ct));
    }

    [Fact]
    public async Task The_user_set_by_outer_middleware_is_the_inner_apps_user()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var inner = await StartInnerAsync(app => app.MapGet("/me", (HttpContext context) =>
            context.User.Identity?.Name ?? "anonymous"), ct);
        var around = new AroundTheCall(before: context =>
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test")));
        await using var site = await StartOuterAsync(inner, around, ct);

        Assert.Equal("ada", await site.Client.GetStringAsync("/inner/me", ct));
    }

    [Fact]
    public async Task OnCompleted_registered_by_the_inner_app_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        var completed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var inner = await StartInnerAsync(app => app.MapGet("/done", (HttpContext context) =>
        {
            context.Response.OnCompleted(() =>
            {
                completed.SetResult("completed");
                return Task.CompletedTask;
            });
            return "answered";
        }), ct);
        await using var site = await StartOuterAsync(inner, new AroundTheCall(), ct);

        Assert.Equal("answered", await site.Client.GetStringAsync("/inner/done", ct));
        Assert.Equal("completed", await completed.Task.WaitAsync(ct));
    }

    [Fact]
    public async Task Abort_in_the_inner_app_drops_the_clients_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var inner = await StartInnerAsync(app => app.MapGet("/abort", (HttpContext context) =>
        {
            context.Abort();
            return Task.CompletedTask;
        }), ct);
        await using var site = await StartOuterAsync(inner, new AroundTheCall(), ct);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => site.Client.GetAsync("/inner/abort", ct));

        Assert.True(failure is HttpRequestException or IOException, failure.ToString());
    }

    private static Task<WebApplication> StartInnerAsync(
        Action<WebApplication> routes, CancellationToken cancellationToken, Action<IServiceCollection>? services = null) =>
        TestWebApplication.StartInProcessAsync(routes, cancellationToken, innerServices =>
        {
            innerServices.AddSingleton<InnerOnly>();
            services?.Invoke(innerServices);
        });

    private static Task<KestrelSite> StartOuterAsync(
        WebApplication inner, AroundTheCall around, CancellationToken cancellationToken, Action<IServiceCollection>? services = null) =>
        KestrelSite.StartAsync(outerServices =>
        {
            outerServices.AddSingleton<OuterOnly>();
            services?.Invoke(outerServices);
        }, outer =>
        {
            outer.Use(around.InvokeAsync);
            outer.RunOwin(new PathDispatcher().Mount("/inner", inner.AsAppFunc()).InvokeAsync);
        }, cancellationToken);

    private sealed class InnerOnly;

    private sealed class OuterOnly;

    // Outer middleware around the mounted app: what the outer request looks like before and after the call.
    private sealed class AroundTheCall(Action<HttpContext>? before = null, Func<HttpContext, string>? after = null)
    {
        private readonly TaskCompletionSource<string> _seenAfter = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> SeenAfter(CancellationToken cancellationToken) => _seenAfter.Task.WaitAsync(cancellationToken);

        public async Task InvokeAsync(HttpContext context, RequestDelegate next)
        {
            before?.Invoke(context);
            await next(context);
            _seenAfter.SetResult(after?.Invoke(context) ?? "");
        }
    }
}
