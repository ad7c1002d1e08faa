using System.Globalization;
using System.Text;

namespace Mergepoints.HtmlDiff.Web;

/// <summary>
/// One request and its response, read from the OWIN environment by the spec's key names. The app references
/// nothing of the host's, so it reads the keys itself instead of through the host's typed view.
/// </summary>
internal readonly struct OwinExchange(IDictionary<string, object> environment)
{
    public string Method => Get<string>("owin.RequestMethod") ?? "";

    /// <summary>Where the app is mounted as the client sees it: every link and form action starts with it.</summary>
    public string PathBase => Get<string>("owin.RequestPathBase") ?? "";

    public string Path => Get<string>("owin.RequestPath") ?? "";

    public string QueryString => Get<string>("owin.RequestQueryString") ?? "";

    /// <summary>The scheme and host the client asked for, such as <c>http://127.0.0.1:5000</c>.</summary>
    public string Origin => $"{Get<string>("owin.RequestScheme") ?? "http"}://{RequestHeader("Host")}";

    /// <summary>The site's root, when a Mergepoints host serves the app (it is where the user box lives).</summary>
    public string? SiteBase => Get<string>("mergepoints.SiteBase");

    public Stream RequestBody => Get<Stream>("owin.RequestBody") ?? Stream.Null;

    public CancellationToken CallCancelled =>
        environment.TryGetValue("owin.CallCancelled", out var token) && token is CancellationToken cancelled ? cancelled : CancellationToken.None;

    private IDictionary<string, string[]> RequestHeaders => Get<IDictionary<string, string[]>>("owin.RequestHeaders") ?? new Dictionary<string, string[]>();

    private IDictionary<string, string[]> ResponseHeaders => Get<IDictionary<string, string[]>>("owin.ResponseHeaders")
        ?? throw new InvalidOperationException("The OWIN environment has no owin.ResponseHeaders; the server must provide it.");

    /// <summary>A request header's values joined by commas, or null when the request has none.</summary>
    public string? RequestHeader(string name) =>
        RequestHeaders.TryGetValue(name, out var values) && values.Length > 0 ? string.Join(", ", values) : null;

    public void SetHeader(string name, string value) => ResponseHeaders[name] = [value];

    public void SetStatus(int statusCode) => environment["owin.ResponseStatusCode"] = statusCode;

    /// <summary>Sends a whole response: status, type, length and (unless the request is a HEAD) the body.</summary>
    public Task RespondAsync(int statusCode, string contentType, byte[] body)
    {
        SetStatus(statusCode);
        SetHeader("Content-Type", contentType);
        SetHeader("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        var stream = Get<Stream>("owin.ResponseBody") ?? throw new InvalidOperationException("The OWIN environment has no owin.ResponseBody; the server must provide it.");
        return Method == "HEAD" ? Task.CompletedTask : stream.WriteAsync(body, CallCancelled).AsTask();
    }

    /// <summary>A one-line plain-text answer, for errors a client should read.</summary>
    public Task RespondTextAsync(int statusCode, string line) =>
        RespondAsync(statusCode, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(line + "\n"));

    private T? Get<T>(string key) where T : class => environment.TryGetValue(key, out var value) ? value as T : null;
}
