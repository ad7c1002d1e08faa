using Mergepoints.Owin.Contract;

namespace Mergepoints.Middleware.Tests.Infrastructure;

/// <summary>Plain dictionaries as a server would hand them over: middleware is tested without sockets.</summary>
public static class OwinEnvironments
{
    /// <summary>A GET of <paramref name="pathBase"/>/ with the given Cookie header, if any.</summary>
    public static Dictionary<string, object> Get(string? cookieHeader = null, string pathBase = "")
    {
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["Host"] = ["localhost"] };
        if (cookieHeader is not null)
        {
            headers["Cookie"] = [cookieHeader];
        }
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [OwinKeys.Version] = "1.0",
            [OwinKeys.RequestMethod] = "GET",
            [OwinKeys.RequestScheme] = "http",
            [OwinKeys.RequestPathBase] = pathBase,
            [OwinKeys.RequestPath] = "/",
            [OwinKeys.RequestQueryString] = "",
            [OwinKeys.RequestProtocol] = "HTTP/1.1",
            [OwinKeys.RequestHeaders] = headers,
            [OwinKeys.RequestBody] = Stream.Null,
            [OwinKeys.ResponseHeaders] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
            [OwinKeys.ResponseBody] = new MemoryStream(),
            [OwinKeys.CallCancelled] = TestContext.Current.CancellationToken,
        };
    }
}
