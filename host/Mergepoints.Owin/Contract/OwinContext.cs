using System.Security.Claims;
using System.Text;

namespace Mergepoints.Owin.Contract;

/// <summary>
/// A typed view over an OWIN environment, so our own code reads <c>env.RequestPath</c> instead of casting
/// dictionary values. It holds nothing but the dictionary: apps that use raw keys see the same data.
/// </summary>
public readonly struct OwinContext(IDictionary<string, object> environment)
{
    /// <summary>The dictionary this view reads and writes.</summary>
    public IDictionary<string, object> Environment { get; } = environment;

    /// <summary>The HTTP method.</summary>
    public string RequestMethod => Get<string>(OwinKeys.RequestMethod) ?? "";

    /// <summary>The mount prefix that led here.</summary>
    public string RequestPathBase
    {
        get => Get<string>(OwinKeys.RequestPathBase) ?? "";
        set => Environment[OwinKeys.RequestPathBase] = value;
    }

    /// <summary>The path below the mount prefix.</summary>
    public string RequestPath
    {
        get => Get<string>(OwinKeys.RequestPath) ?? "";
        set => Environment[OwinKeys.RequestPath] = value;
    }

    /// <summary>The query string without its <c>?</c>.</summary>
    public string RequestQueryString => Get<string>(OwinKeys.RequestQueryString) ?? "";

    /// <summary>The request headers.</summary>
    public IDictionary<string, string[]> RequestHeaders =>
        Get<IDictionary<string, string[]>>(OwinKeys.RequestHeaders) ?? throw Missing(OwinKeys.RequestHeaders);

    /// <summary>The request body.</summary>
    public Stream RequestBody => Get<Stream>(OwinKeys.RequestBody) ?? Stream.Null;

    /// <summary>The response status code.</summary>
    public int ResponseStatusCode
    {
        get => Get<object>(OwinKeys.ResponseStatusCode) is int code ? code : 200;
        set => Environment[OwinKeys.ResponseStatusCode] = value;
    }

    /// <summary>The response headers.</summary>
    public IDictionary<string, string[]> ResponseHeaders =>
        Get<IDictionary<string, string[]>>(OwinKeys.ResponseHeaders) ?? throw Missing(OwinKeys.ResponseHeaders);

    /// <summary>The response body.</summary>
    public Stream ResponseBody
    {
        get => Get<Stream>(OwinKeys.ResponseBody) ?? throw Missing(OwinKeys.ResponseBody);
        set => Environment[OwinKeys.ResponseBody] = value;
    }

    /// <summary>Fires when the client goes away.</summary>
    public CancellationToken CallCancelled =>
        Get<object>(OwinKeys.CallCancelled) is CancellationToken token ? token : CancellationToken.None;

    /// <summary>The current user; an anonymous principal when the environment has none.</summary>
    public ClaimsPrincipal User
    {
        get => Get<ClaimsPrincipal>(OwinKeys.User) ?? new ClaimsPrincipal(new ClaimsIdentity());
        set => Environment[OwinKeys.User] = value;
    }

    /// <summary>Writes a whole plain-text response: status, content type, length and body.</summary>
    public Task RespondTextAsync(int statusCode, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        ResponseStatusCode = statusCode;
        ResponseHeaders["Content-Type"] = ["text/plain; charset=utf-8"];
        ResponseHeaders["Content-Length"] = [bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return ResponseBody.WriteAsync(bytes, CallCancelled).AsTask();
    }

    private T? Get<T>(string key) where T : class =>
        Environment.TryGetValue(key, out var value) ? value as T : null;

    private static InvalidOperationException Missing(string key) =>
        new($"The OWIN environment has no {key}; the server must provide it.");
}
