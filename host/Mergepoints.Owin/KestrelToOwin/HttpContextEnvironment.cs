// Written by hand from the OWIN 1.0 specification (owin.org/html/spec/owin-1.0.html): Microsoft.Owin, Owin and
// Microsoft.AspNetCore.Owin are not in our package source. Unlike ASP.NET Core's own bridge, Count, Keys,
// Values and enumeration agree with the indexer, and keys an app adds live in HttpContext.Items.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Principal;
using Mergepoints.Owin.Contract;
using Mergepoints.Owin.OwinToAspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Owin.KestrelToOwin;

/// <summary>
/// The OWIN environment of one request, as a live view over its ASP.NET Core <see cref="HttpContext"/>.
/// Nothing is copied up front: each key reads its feature when asked and writes straight through, so an app
/// that touches three keys pays for three.
/// </summary>
public sealed class HttpContextEnvironment(HttpContext httpContext) : IDictionary<string, object>
{
    private static readonly Dictionary<string, EnvironmentBinding> Bindings = new(StringComparer.Ordinal)
    {
        [OwinKeys.RequestMethod] = new(typeof(string), e => e.Request.Method, (e, v) => e.Request.Method = (string)v),
        [OwinKeys.RequestScheme] = new(typeof(string), e => e.Request.Scheme, (e, v) => e.Request.Scheme = (string)v),
        [OwinKeys.RequestPathBase] = new(typeof(string), e => e.Request.PathBase.Value ?? "", (e, v) => e.Request.PathBase = new PathString((string)v)),
        [OwinKeys.RequestPath] = new(typeof(string), e => e.Request.Path.Value ?? "", (e, v) => e.Request.Path = new PathString((string)v)),
        [OwinKeys.RequestQueryString] = new(typeof(string), e => QueryWithoutMark(e.Request.QueryString), (e, v) => e.Request.QueryString = QueryWithMark((string)v)),
        [OwinKeys.RequestProtocol] = new(typeof(string), e => e.Request.Protocol, (e, v) => e.Request.Protocol = (string)v),
        [OwinKeys.RequestHeaders] = new(typeof(IDictionary<string, string[]>), e => e.RequestHeaders, (e, v) => e.SetRequestHeaders((IDictionary<string, string[]>)v)),
        [OwinKeys.RequestBody] = new(typeof(Stream), e => e.Request.Body, (e, v) => e.Request.Body = (Stream)v),
        [OwinKeys.RequestId] = new(typeof(string), e => e.HttpContext.TraceIdentifier, (e, v) => e.HttpContext.TraceIdentifier = (string)v),
        [OwinKeys.ResponseStatusCode] = new(typeof(int), e => e.Response.StatusCode, (e, v) => e.Response.StatusCode = (int)v),
        [OwinKeys.ResponseReasonPhrase] = new(typeof(string), e => e.ResponseFeature.ReasonPhrase, (e, v) => e.ResponseFeature.ReasonPhrase = (string)v),
        [OwinKeys.ResponseHeaders] = new(typeof(IDictionary<string, string[]>), e => e.ResponseHeaders, (e, v) => e.SetResponseHeaders((IDictionary<string, string[]>)v)),
        [OwinKeys.ResponseBody] = new(typeof(Stream), e => e.Response.Body, (e, v) => e.Response.Body = (Stream)v),
        [OwinKeys.CallCancelled] = new(typeof(CancellationToken), e => e.HttpContext.RequestAborted, (e, v) => e.HttpContext.RequestAborted = (CancellationToken)v),
        [OwinKeys.Version] = new(typeof(string), _ => "1.0"),
        [OwinKeys.RemoteIpAddress] = new(typeof(string), e => e.Connection.RemoteIpAddress?.ToString(), (e, v) => e.Connection.RemoteIpAddress = ParseAddress(OwinKeys.RemoteIpAddress, (string)v)),
        [OwinKeys.RemotePort] = new(typeof(string), e => PortOf(e.Connection.RemoteIpAddress, e.Connection.RemotePort), (e, v) => e.Connection.RemotePort = ParsePort(OwinKeys.RemotePort, (string)v)),
        [OwinKeys.LocalIpAddress] = new(typeof(string), e => e.Connection.LocalIpAddress?.ToString(), (e, v) => e.Connection.LocalIpAddress = ParseAddress(OwinKeys.LocalIpAddress, (string)v)),
        [OwinKeys.LocalPort] = new(typeof(string), e => PortOf(e.Connection.LocalIpAddress, e.Connection.LocalPort), (e, v) => e.Connection.LocalPort = ParsePort(OwinKeys.LocalPort, (string)v)),
        [OwinKeys.IsLocal] = new(typeof(bool), e => IsLocalConnection(e.Connection)),
        [OwinKeys.OnSendingHeaders] = new(typeof(Action<Action<object>, object>), e => e.OnSendingHeaders),
        [OwinKeys.User] = new(typeof(IPrincipal), e => e.HttpContext.User, (e, v) => e.HttpContext.User = v as ClaimsPrincipal ?? new ClaimsPrincipal((IPrincipal)v)),
        [OwinKeys.HttpContext] = new(typeof(HttpContext), e => e.HttpContext),
    };

    private OwinHeaders? _requestHeaders;
    private OwinHeaders? _responseHeaders;
    private Action<Action<object>, object>? _onSendingHeaders;

    /// <summary>The request this environment is a view of.</summary>
    public HttpContext HttpContext { get; } = httpContext;

    private HttpRequest Request => HttpContext.Request;

    private HttpResponse Response => HttpContext.Response;

    private ConnectionInfo Connection => HttpContext.Connection;

    private IHttpResponseFeature ResponseFeature => HttpContext.Features.GetRequiredFeature<IHttpResponseFeature>();

    private IDictionary<string, string[]> RequestHeaders => Unwrap(Request.Headers, ref _requestHeaders);

    private IDictionary<string, string[]> ResponseHeaders => Unwrap(Response.Headers, ref _responseHeaders);

    private Action<Action<object>, object> OnSendingHeaders => _onSendingHeaders ??=
        (callback, state) => Response.OnStarting(static pair =>
        {
            var (callback, state) = ((Action<object>, object))pair;
            callback(state);
            return Task.CompletedTask;
        }, (callback, state));

    /// <inheritdoc />
    public object this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The OWIN environment has no {key}.");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!Bindings.TryGetValue(key, out var binding))
            {
                HttpContext.Items[key] = value;
                return;
            }
            if (binding.Set is null)
            {
                throw new NotSupportedException($"{key} is read-only: the server sets it.");
            }
            if (!binding.ValueType.IsInstanceOfType(value))
            {
                throw new ArgumentException($"{key} takes a {binding.ValueType.Name}, not a {value.GetType().Name}.", nameof(value));
            }
            binding.Set(this, value);
        }
    }

    /// <inheritdoc />
    public ICollection<string> Keys => Snapshot().ConvertAll(pair => pair.Key);

    /// <inheritdoc />
    public ICollection<object> Values => Snapshot().ConvertAll(pair => pair.Value);

    /// <inheritdoc />
    public int Count => Snapshot().Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc />
    public void Add(string key, object value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"The OWIN environment already has {key}.", nameof(key));
        }
        this[key] = value;
    }

    /// <inheritdoc />
    public void Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    /// <inheritdoc />
    public void Clear() => throw new NotSupportedException("The OWIN keys of a request cannot be cleared.");

    /// <inheritdoc />
    public bool Contains(KeyValuePair<string, object> item) =>
        TryGetValue(item.Key, out var value) && Equals(value, item.Value);

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public void CopyTo(KeyValuePair<string, object>[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        foreach (var (key, binding) in Bindings)
        {
            if (binding.Get(this) is { } value)
            {
                yield return new(key, value);
            }
        }
        foreach (var (key, value) in HttpContext.Items)
        {
            if (key is string name && value is not null && !Bindings.ContainsKey(name))
            {
                yield return new(name, value);
            }
        }
    }

    /// <inheritdoc />
    public bool Remove(string key) => Bindings.ContainsKey(key)
        ? throw new NotSupportedException($"{key} belongs to the server and cannot be removed.")
        : HttpContext.Items.Remove(key);

    /// <inheritdoc />
    public bool Remove(KeyValuePair<string, object> item) => Contains(item) && Remove(item.Key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        value = Bindings.TryGetValue(key, out var binding)
            ? binding.Get(this)
            : HttpContext.Items.TryGetValue(key, out var item) ? item : null;
        return value is not null;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Enumerated by hand: LINQ's Count() would ask ICollection.Count, which is this.
    private List<KeyValuePair<string, object>> Snapshot()
    {
        var pairs = new List<KeyValuePair<string, object>>(Bindings.Count + HttpContext.Items.Count);
        foreach (var pair in this)
        {
            pairs.Add(pair);
        }
        return pairs;
    }

    private void SetRequestHeaders(IDictionary<string, string[]> headers)
    {
        HttpContext.Features.GetRequiredFeature<IHttpRequestFeature>().Headers = Wrap(headers);
        _requestHeaders = null;
    }

    private void SetResponseHeaders(IDictionary<string, string[]> headers)
    {
        ResponseFeature.Headers = Wrap(headers);
        _responseHeaders = null;
    }

    private static IHeaderDictionary Wrap(IDictionary<string, string[]> headers) =>
        headers is OwinHeaders owin ? owin.Inner : new AspNetCoreHeaders(headers);

    private static IDictionary<string, string[]> Unwrap(IHeaderDictionary headers, ref OwinHeaders? cache)
    {
        if (headers is AspNetCoreHeaders aspNetCore)
        {
            return aspNetCore.Inner;
        }
        if (cache is null || !ReferenceEquals(cache.Inner, headers))
        {
            cache = new OwinHeaders(headers);
        }
        return cache;
    }

    private static string QueryWithoutMark(QueryString query) => query.HasValue ? query.Value![1..] : "";

    private static QueryString QueryWithMark(string query) => query.Length == 0 ? QueryString.Empty : new QueryString("?" + query);

    private static string? PortOf(IPAddress? address, int port) =>
        address is null ? null : port.ToString(CultureInfo.InvariantCulture);

    private static bool? IsLocalConnection(ConnectionInfo connection) => connection.RemoteIpAddress switch
    {
        null => null,
        var remote when connection.LocalIpAddress is { } local => remote.Equals(local) || IPAddress.IsLoopback(remote),
        var remote => IPAddress.IsLoopback(remote),
    };

    private static IPAddress ParseAddress(string key, string value) =>
        IPAddress.TryParse(value, out var address) ? address : throw new ArgumentException($"{key} is not an IP address: {value}");

    private static int ParsePort(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"{key} is not a port number: {value}");
}
