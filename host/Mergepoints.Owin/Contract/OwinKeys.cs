namespace Mergepoints.Owin.Contract;

/// <summary>
/// The environment keys of OWIN 1.0, the common <c>server.*</c> keys and the two Mergepoints adds.
/// Apps may use the literal strings instead: these constants exist so our own code cannot misspell them.
/// </summary>
public static class OwinKeys
{
    /// <summary>The HTTP method, such as <c>GET</c>.</summary>
    public const string RequestMethod = "owin.RequestMethod";

    /// <summary>The scheme, <c>http</c> or <c>https</c>.</summary>
    public const string RequestScheme = "owin.RequestScheme";

    /// <summary>The part of the path that led to this app: the mount prefix, empty at the root.</summary>
    public const string RequestPathBase = "owin.RequestPathBase";

    /// <summary>The path below <see cref="RequestPathBase"/>; empty or starting with <c>/</c>.</summary>
    public const string RequestPath = "owin.RequestPath";

    /// <summary>The query string without its leading <c>?</c>, still percent-encoded.</summary>
    public const string RequestQueryString = "owin.RequestQueryString";

    /// <summary>The protocol, such as <c>HTTP/1.1</c>.</summary>
    public const string RequestProtocol = "owin.RequestProtocol";

    /// <summary>The request headers, an <c>IDictionary&lt;string, string[]&gt;</c> that ignores case.</summary>
    public const string RequestHeaders = "owin.RequestHeaders";

    /// <summary>The request body, a <see cref="Stream"/> (empty when there is none).</summary>
    public const string RequestBody = "owin.RequestBody";

    /// <summary>A request identifier, the same one the host logs (OWIN 1.0.1).</summary>
    public const string RequestId = "owin.RequestId";

    /// <summary>The response status code, an <see cref="int"/>; 200 unless an app sets it.</summary>
    public const string ResponseStatusCode = "owin.ResponseStatusCode";

    /// <summary>The reason phrase, when an app wants one other than the standard phrase.</summary>
    public const string ResponseReasonPhrase = "owin.ResponseReasonPhrase";

    /// <summary>The response protocol, when it differs from the request's.</summary>
    public const string ResponseProtocol = "owin.ResponseProtocol";

    /// <summary>The response headers, an <c>IDictionary&lt;string, string[]&gt;</c> that ignores case.</summary>
    public const string ResponseHeaders = "owin.ResponseHeaders";

    /// <summary>The response body, a <see cref="Stream"/>; the first write sends the headers.</summary>
    public const string ResponseBody = "owin.ResponseBody";

    /// <summary>A <see cref="CancellationToken"/> that fires when the client goes away.</summary>
    public const string CallCancelled = "owin.CallCancelled";

    /// <summary>The OWIN version the server implements, always <c>1.0</c> here.</summary>
    public const string Version = "owin.Version";

    /// <summary>The client's address as a string.</summary>
    public const string RemoteIpAddress = "server.RemoteIpAddress";

    /// <summary>The client's port as a string.</summary>
    public const string RemotePort = "server.RemotePort";

    /// <summary>The address the request arrived on, as a string.</summary>
    public const string LocalIpAddress = "server.LocalIpAddress";

    /// <summary>The port the request arrived on, as a string.</summary>
    public const string LocalPort = "server.LocalPort";

    /// <summary>A <see cref="bool"/>: whether the client is this machine.</summary>
    public const string IsLocal = "server.IsLocal";

    /// <summary>
    /// An <c>Action&lt;Action&lt;object&gt;, object&gt;</c> that registers a callback to run just before the
    /// headers are sent, the last moment an app or middleware can still change them.
    /// </summary>
    public const string OnSendingHeaders = "server.OnSendingHeaders";

    /// <summary>
    /// The current user, a <see cref="System.Security.Claims.ClaimsPrincipal"/>; anonymous when nobody is
    /// signed in. Mounted ASP.NET Core apps see the same object as <c>HttpContext.User</c>.
    /// </summary>
    public const string User = "server.User";

    /// <summary>
    /// A <see cref="System.Data.Common.DbConnection"/> to the shared datastore, opened on first use and
    /// disposed when the request ends.
    /// </summary>
    public const string Database = "mergepoints.db";

    /// <summary>
    /// The path base of the whole site as the client sees it (empty, or a prefix nginx announced), before any
    /// mount's prefix: where the account pages and the session cookie live. Set by the user middleware.
    /// </summary>
    public const string SiteBase = "mergepoints.SiteBase";

    /// <summary>
    /// The ASP.NET Core <c>HttpContext</c> under the environment, when there is one. It lets the bridge back
    /// into ASP.NET Core reuse the server's features instead of copying them; apps should not need it.
    /// </summary>
    public const string HttpContext = "Microsoft.AspNetCore.Http.HttpContext";
}
