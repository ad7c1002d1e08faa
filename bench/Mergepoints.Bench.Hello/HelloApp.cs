using System.Globalization;
using System.Text;

namespace Mergepoints.Bench.Hello;

/// <summary>
/// <c>Hello, World!</c> as a pure OWIN app, the work bench/http.sh measures the host against: it does the
/// same as the raw Kestrel reference (Mergepoints.Bench.Raw), so what differs in throughput is the host.
/// It uses only BCL types and the OWIN keys, as any app a team mounts would.
/// </summary>
public static class HelloApp
{
    // Encoded once: the bench measures the host, not UTF-8 encoding.
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");
    private static readonly string BodyLength = Body.Length.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The mount entry (<c>Mergepoints.Bench.Hello.HelloApp.Create</c>): returns the app; it needs nothing
    /// from <paramref name="properties"/>, which the host fills with its startup keys.
    /// </summary>
    public static Func<IDictionary<string, object>, Task> Create(IDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return InvokeAsync;
    }

    private static Task InvokeAsync(IDictionary<string, object> env)
    {
        var headers = (IDictionary<string, string[]>)env["owin.ResponseHeaders"];
        // New arrays each time: the server may keep them, and a shared array could be changed under it.
        headers["Content-Type"] = ["text/plain"];
        headers["Content-Length"] = [BodyLength];
        var body = (Stream)env["owin.ResponseBody"];
        var cancelled = env.TryGetValue("owin.CallCancelled", out var token) && token is CancellationToken c ? c : CancellationToken.None;
        return body.WriteAsync(Body, cancelled).AsTask();
    }
}
