using Mergepoints.Owin.Contract;

namespace Mergepoints.Owin.Dispatch;

/// <summary>
/// Sends each request to the app mounted at the longest prefix of its path, WSGI's DispatcherMiddleware on OWIN:
/// <code>
/// var site = new PathDispatcher { ["/"] = mash, ["/api"] = counter }.Use(requestLog);
/// app.RunOwin(site.InvokeAsync);
/// </code>
/// A prefix matches only at a segment boundary (<c>/api</c> takes <c>/api</c> and <c>/api/x</c>, never
/// <c>/apix</c>) and ignores case, as ASP.NET Core's own <c>Map</c> and routing do. The matched part, as the
/// client spelled it, moves from <c>owin.RequestPath</c> to <c>owin.RequestPathBase</c> for the app and is
/// put back when the app returns or throws. <c>%2F</c> is not a boundary: servers leave it encoded in the path.
/// </summary>
public sealed class PathDispatcher
{
    private readonly Dictionary<string, Func<IDictionary<string, object>, Task>> _mounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IDictionary<string, object>, Task>>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<Func<Func<IDictionary<string, object>, Task>, Func<IDictionary<string, object>, Task>>> _middleware = [];
    private Func<IDictionary<string, object>, Task>? _root;
    private Func<IDictionary<string, object>, Task>? _pipeline;
    private int _longestPrefix;

    /// <summary>Creates an empty dispatcher: every path is a 404 until something is mounted.</summary>
    public PathDispatcher() => _lookup = _mounts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The app mounted at <paramref name="prefix"/>; setting replaces whatever was there.</summary>
    public Func<IDictionary<string, object>, Task> this[string prefix]
    {
        get => (prefix == MountPrefix.Root ? _root : _mounts.GetValueOrDefault(prefix))
            ?? throw new KeyNotFoundException($"Nothing is mounted at {prefix}.");
        set => Set(prefix, value, replace: true);
    }

    /// <summary>The mount prefixes, the root included when something is mounted there.</summary>
    public IEnumerable<string> Prefixes => _root is null ? _mounts.Keys : _mounts.Keys.Prepend(MountPrefix.Root);

    /// <summary>Mounts <paramref name="app"/> at <paramref name="prefix"/>; a prefix already taken is an error.</summary>
    public PathDispatcher Mount(string prefix, Func<IDictionary<string, object>, Task> app)
    {
        Set(prefix, app, replace: false);
        return this;
    }

    /// <summary>Runs <paramref name="middleware"/> before dispatching; the first added runs first.</summary>
    public PathDispatcher Use(Func<Func<IDictionary<string, object>, Task>, Func<IDictionary<string, object>, Task>> middleware)
    {
        _middleware.Add(middleware);
        _pipeline = null;
        return this;
    }

    /// <summary>The dispatcher with its middleware, as an <c>AppFunc</c>.</summary>
    public Task InvokeAsync(IDictionary<string, object> env) =>
        (_pipeline ??= OwinPipeline.Compose(_middleware, DispatchAsync))(env);

    private void Set(string prefix, Func<IDictionary<string, object>, Task> app, bool replace)
    {
        MountPrefix.Validate(prefix);
        ArgumentNullException.ThrowIfNull(app);
        var taken = prefix == MountPrefix.Root ? _root is not null : _mounts.ContainsKey(prefix);
        if (taken && !replace)
        {
            throw new ArgumentException($"Cannot mount '{prefix}': something is mounted there already.", nameof(prefix));
        }
        if (prefix == MountPrefix.Root)
        {
            _root = app;
            return;
        }
        _mounts[prefix] = app;
        _longestPrefix = Math.Max(_longestPrefix, prefix.Length);
    }

    private Task DispatchAsync(IDictionary<string, object> env)
    {
        var path = env.TryGetValue(OwinKeys.RequestPath, out var value) ? value as string ?? "" : "";
        // As Werkzeug does: try the whole path, then cut one segment at a time from the right.
        var candidate = path.AsSpan(0, Math.Min(path.Length, _longestPrefix));
        if (candidate.Length < path.Length && path[candidate.Length] != '/')
        {
            candidate = candidate[..Math.Max(candidate.LastIndexOf('/'), 0)];
        }
        while (candidate.Length > 1)
        {
            if (_lookup.TryGetValue(candidate, out var app))
            {
                return InvokeMountedAsync(env, app, path, candidate.Length);
            }
            candidate = candidate[..Math.Max(candidate.LastIndexOf('/'), 0)];
        }
        return _root is not null ? _root(env) : new OwinContext(env).RespondTextAsync(404, "Not found: no app is mounted at this path.\n");
    }

    private static async Task InvokeMountedAsync(IDictionary<string, object> env, Func<IDictionary<string, object>, Task> app, string path, int prefixLength)
    {
        var owin = new OwinContext(env);
        var pathBase = owin.RequestPathBase;
        owin.RequestPathBase = pathBase + path[..prefixLength];
        owin.RequestPath = path[prefixLength..];
        try
        {
            await app(env);
        }
        finally
        {
            owin.RequestPathBase = pathBase;
            owin.RequestPath = path;
        }
    }
}
