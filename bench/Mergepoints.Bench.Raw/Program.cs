using System.Text;
using Microsoft.AspNetCore.Builder;

// Built the way the host builds itself (CreateBuilder; bench/http.sh sets the same Warning log level for
// both), so that the ratio host/raw is what the host adds: the OWIN bridge, the dispatcher, its middleware.
// Only --urls is read from the command line; everything else is the framework's defaults, as in the host.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = UrlsOnly(args), ContentRootPath = AppContext.BaseDirectory });
var app = builder.Build();

var body = Encoding.UTF8.GetBytes("Hello, World!");
// The same response as the OWIN Hello app, written the same way: two headers, then the body stream.
app.Run(context =>
{
    context.Response.ContentType = "text/plain";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
});
app.Run();

static string[] UrlsOnly(string[] args)
{
    var at = Array.IndexOf(args, "--urls");
    return at >= 0 && at + 1 < args.Length
        ? ["--urls", args[at + 1]]
        : throw new ArgumentException("usage: Mergepoints.Bench.Raw --urls http://127.0.0.1:PORT");
}
