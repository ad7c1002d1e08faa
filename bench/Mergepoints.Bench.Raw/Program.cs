using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

// Built the way the host builds itself (CreateBuilder; the benches set the same Warning log level for both),
// so that the ratio host/raw is what the host adds: the OWIN bridge, the dispatcher, its middleware.
// Only --urls is read from the command line; everything else is the framework's defaults, as in the host.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = UrlsOnly(args), ContentRootPath = AppContext.BaseDirectory });
var app = builder.Build();

var hello = Encoding.UTF8.GetBytes("Hello, World!");
// The counter's reference (bench/counter.sh): the same in-memory counting with no log, no OWIN, no middleware.
var counts = new ConcurrentDictionary<string, StrongBox<long>>(StringComparer.Ordinal);
const string SongPrefix = "/api/song/";

app.Run(context =>
{
    var path = context.Request.Path.Value ?? "";
    if (!path.StartsWith(SongPrefix, StringComparison.Ordinal))
    {
        // The same response as the OWIN Hello app, written the same way: two headers, then the body stream.
        return Write(context, "text/plain", hello);
    }
    var id = path[SongPrefix.Length..];
    long count;
    if (HttpMethods.IsPost(context.Request.Method))
    {
        count = Interlocked.Increment(ref counts.GetOrAdd(id, _ => new StrongBox<long>()).Value);
    }
    else
    {
        count = counts.TryGetValue(id, out var box) ? Interlocked.Read(ref box.Value) : 0;
    }
    context.Response.Headers.CacheControl = "no-store";
    return Write(context, "text/plain; charset=utf-8", Encoding.ASCII.GetBytes(count.ToString(CultureInfo.InvariantCulture)));
});
app.Run();

static Task Write(HttpContext context, string contentType, byte[] body)
{
    context.Response.ContentType = contentType;
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
}

static string[] UrlsOnly(string[] args)
{
    var at = Array.IndexOf(args, "--urls");
    return at >= 0 && at + 1 < args.Length
        ? ["--urls", args[at + 1]]
        : throw new ArgumentException("usage: Mergepoints.Bench.Raw --urls http://127.0.0.1:PORT");
}
