// Written by hand from the OWIN 1.0 specification: Microsoft.AspNetCore.Owin, whose OwinFeatureCollection plays
// this part, is not in our package source. Unlike that one, OnStarting, OnCompleted and Abort all work.
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Security.Claims;
using Mergepoints.Owin.Contract;
using Mergepoints.Owin.KestrelToOwin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// The ASP.NET Core features of a request, read from and written to a plain OWIN environment. Used when a
/// mounted ASP.NET Core app is reached through an environment that no Kestrel request sits under.
/// </summary>
internal sealed class EnvironmentFeatures :
    IHttpRequestFeature,
    IHttpResponseFeature,
    IHttpResponseBodyFeature,
    IHttpRequestLifetimeFeature,
    IHttpConnectionFeature,
    IHttpRequestIdentifierFeature,
    IHttpAuthenticationFeature,
    IItemsFeature
{
    private readonly IDictionary<string, object> _env;
    private readonly OwinContext _owin;
    private readonly CancellationTokenSource _aborted;
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private ResponseStartingStream? _body;
    private PipeWriter? _writer;

    public EnvironmentFeatures(IDictionary<string, object> env)
    {
        _env = env;
        _owin = new OwinContext(env);
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(_owin.CallCancelled);
        Items = new EnvironmentItems(env);
        Collection = new FeatureCollection();
        Collection.Set<IHttpRequestFeature>(this);
        Collection.Set<IHttpResponseFeature>(this);
        Collection.Set<IHttpResponseBodyFeature>(this);
        Collection.Set<IHttpRequestLifetimeFeature>(this);
        Collection.Set<IHttpConnectionFeature>(this);
        Collection.Set<IHttpRequestIdentifierFeature>(this);
        Collection.Set<IHttpAuthenticationFeature>(this);
        Collection.Set<IItemsFeature>(this);
    }

    /// <summary>The features, for an <c>IHttpApplication</c> or a <c>DefaultHttpContext</c>.</summary>
    public FeatureCollection Collection { get; }

    public string Protocol { get => Read(OwinKeys.RequestProtocol) ?? "HTTP/1.1"; set => _env[OwinKeys.RequestProtocol] = value; }

    public string Scheme { get => Read(OwinKeys.RequestScheme) ?? "http"; set => _env[OwinKeys.RequestScheme] = value; }

    public string Method { get => Read(OwinKeys.RequestMethod) ?? "GET"; set => _env[OwinKeys.RequestMethod] = value; }

    public string PathBase { get => _owin.RequestPathBase; set => _owin.RequestPathBase = value; }

    public string Path { get => _owin.RequestPath; set => _owin.RequestPath = value; }

    public string QueryString
    {
        get => _owin.RequestQueryString is { Length: > 0 } query ? "?" + query : "";
        set => _env[OwinKeys.RequestQueryString] = value.StartsWith('?') ? value[1..] : value;
    }

    public string RawTarget { get => PathBase + Path + QueryString; set => throw new NotSupportedException("OWIN has no raw target."); }

    IHeaderDictionary IHttpRequestFeature.Headers
    {
        get => Headers(OwinKeys.RequestHeaders);
        set => _env[OwinKeys.RequestHeaders] = Unwrap(value);
    }

    Stream IHttpRequestFeature.Body { get => _owin.RequestBody; set => _env[OwinKeys.RequestBody] = value; }

    public int StatusCode { get => _owin.ResponseStatusCode; set => _owin.ResponseStatusCode = value; }

    public string? ReasonPhrase { get => Read(OwinKeys.ResponseReasonPhrase); set => Write(OwinKeys.ResponseReasonPhrase, value); }

    IHeaderDictionary IHttpResponseFeature.Headers
    {
        get => Headers(OwinKeys.ResponseHeaders);
        set => _env[OwinKeys.ResponseHeaders] = Unwrap(value);
    }

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    Stream IHttpResponseFeature.Body { get => Stream; set => _owin.ResponseBody = value; }

    public bool HasStarted { get; private set; }

    public Stream Stream => _body ??= new ResponseStartingStream(_owin.ResponseBody, () => StartAsync());

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    public CancellationToken RequestAborted { get => _aborted.Token; set => throw new NotSupportedException("The token comes from owin.CallCancelled."); }

    public string ConnectionId { get; set; } = "";

    public IPAddress? RemoteIpAddress { get => Address(OwinKeys.RemoteIpAddress); set => Write(OwinKeys.RemoteIpAddress, value?.ToString()); }

    public IPAddress? LocalIpAddress { get => Address(OwinKeys.LocalIpAddress); set => Write(OwinKeys.LocalIpAddress, value?.ToString()); }

    public int RemotePort { get => Port(OwinKeys.RemotePort); set => _env[OwinKeys.RemotePort] = value.ToString(CultureInfo.InvariantCulture); }

    public int LocalPort { get => Port(OwinKeys.LocalPort); set => _env[OwinKeys.LocalPort] = value.ToString(CultureInfo.InvariantCulture); }

    public string TraceIdentifier
    {
        get => Read(OwinKeys.RequestId) ?? (string)(_env[OwinKeys.RequestId] = Guid.NewGuid().ToString("N"));
        set => _env[OwinKeys.RequestId] = value;
    }

    // Null when the environment has none, so HttpContext makes one anonymous user, sets it here and keeps it:
    // a fresh principal per read would lose whatever the app adds to it.
    public ClaimsPrincipal? User { get => _env.TryGetValue(OwinKeys.User, out var user) ? user as ClaimsPrincipal : null; set => Write(OwinKeys.User, value); }

    public IDictionary<object, object?> Items { get; set; }

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }
        _onStarting.Add((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    public void Abort() => _aborted.Cancel();

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }
        HasStarted = true;
        // ASP.NET Core runs OnStarting callbacks last-registered first; so do we.
        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State);
        }
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        await StartAsync();
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }

    /// <summary>
    /// Ends the request as a server would once the app returned: headers out, then OnCompleted. When the app
    /// failed, the caller answers instead, but OnCompleted still runs: request scopes are disposed there.
    /// </summary>
    public async Task FinishAsync(Exception? failure)
    {
        if (failure is null)
        {
            await CompleteAsync();
        }
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            await _onCompleted[i].Callback(_onCompleted[i].State);
        }
        _aborted.Dispose();
    }

    private string? Read(string key) => _env.TryGetValue(key, out var value) ? value as string : null;

    private void Write(string key, object? value)
    {
        if (value is null)
        {
            _env.Remove(key);
        }
        else
        {
            _env[key] = value;
        }
    }

    private IHeaderDictionary Headers(string key)
    {
        if (!_env.TryGetValue(key, out var value) || value is not IDictionary<string, string[]> headers)
        {
            headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            _env[key] = headers;
        }
        return headers is OwinHeaders owin ? owin.Inner : new AspNetCoreHeaders(headers);
    }

    private static IDictionary<string, string[]> Unwrap(IHeaderDictionary headers) =>
        headers is AspNetCoreHeaders aspNetCore ? aspNetCore.Inner : new OwinHeaders(headers);

    private IPAddress? Address(string key) => IPAddress.TryParse(Read(key), out var address) ? address : null;

    private int Port(string key) => int.TryParse(Read(key), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0;
}
