using Mergepoints.Owin.Dispatch;
using Mergepoints.Owin.KestrelToOwin;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mergepoints.Testing;

namespace Mergepoints.Owin.Tests.OwinToAspNetCore;

/// <summary>A piece of ASP.NET Core pipeline mounted with ToAppFunc under the dispatcher on real Kestrel.</summary>
public sealed class RequestDelegateExtensionsTests
{
    [Fact]
    public async Task Over_Kestrel_the_pipeline_runs_on_the_requests_own_HttpContext()
    {
        var ct = TestContext.Current.CancellationToken;
        var outerContext = new TaskCompletionSource<HttpContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var innerContext = new TaskCompletionSource<HttpContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        RequestDelegate pipeline = async context =>
        {
            innerContext.SetResult(context);
            context.Response.StatusCode = 202;
            context.Response.Headers["X-Pipeline"] = "yes";
            await context.Response.WriteAsync($"{context.Request.PathBase}|{context.Request.Path}{context.Request.QueryString}", context.RequestAborted);
        };
        await using var site = await KestrelSite.StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                outerContext.SetResult(context);
                return next(context);
            });
            app.RunOwin(new PathDispatcher().Mount("/piece", pipeline.ToAppFunc()).InvokeAsync);
        }, ct);

        using var answer = await site.Client.GetAsync("/piece/of/it?x=1", ct);

        Assert.Equal(202, (int)answer.StatusCode);
        Assert.Equal("yes", answer.Headers.GetValues("X-Pipeline").Single());
        Assert.Equal("/piece|/of/it?x=1", await answer.Content.ReadAsStringAsync(ct));
        Assert.Same(await outerContext.Task.WaitAsync(ct), await innerContext.Task.WaitAsync(ct));
    }
}
