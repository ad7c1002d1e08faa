using System.Text;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Owin.Tests;

/// <summary>
/// An OWIN environment as a server other than Kestrel would hand it over: a plain dictionary with the OWIN 1.0
/// keys and no HttpContext underneath, its response body a <see cref="MemoryStream"/> the test can read back.
/// </summary>
internal static class PlainEnvironment
{
    public static Dictionary<string, object> Create(string path, string pathBase = "", string method = "GET", string query = "") => new()
    {
        [OwinKeys.RequestMethod] = method,
        [OwinKeys.RequestScheme] = "http",
        [OwinKeys.RequestPathBase] = pathBase,
        [OwinKeys.RequestPath] = path,
        [OwinKeys.RequestQueryString] = query,
        [OwinKeys.RequestProtocol] = "HTTP/1.1",
        [OwinKeys.RequestHeaders] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
        [OwinKeys.RequestBody] = Stream.Null,
        [OwinKeys.ResponseHeaders] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
        [OwinKeys.ResponseBody] = new MemoryStream(),
        [OwinKeys.CallCancelled] = CancellationToken.None,
        [OwinKeys.Version] = "1.0",
    };

    public static string ResponseText(IDictionary<string, object> env) =>
        Encoding.UTF8.GetString(((MemoryStream)env[OwinKeys.ResponseBody]).ToArray());

    public static IDictionary<string, string[]> ResponseHeaders(IDictionary<string, object> env) =>
        (IDictionary<string, string[]>)env[OwinKeys.ResponseHeaders];
}
