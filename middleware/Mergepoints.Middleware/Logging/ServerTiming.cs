using System.Diagnostics;
using System.Text;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Middleware.Logging;

/// <summary>
/// Builds the host's pipeline so that its <c>Server-Timing</c> header tells where a request's time went: each
/// middleware's own work (from its start until it calls the next) and the app's (until the headers go out).
/// Browsers show it in their network panel.
/// </summary>
public static class ServerTiming
{
    /// <summary>The header's name.</summary>
    public const string Header = "Server-Timing";

    /// <summary>Composes <paramref name="middleware"/> (outermost first) in front of <paramref name="app"/>, timing each.</summary>
    public static AppFunc Compose(IReadOnlyList<(string Name, MidFunc Middleware)> middleware, AppFunc app)
    {
        AppFunc next = Timed("app", app, isApp: true);
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            var (name, wrap) = middleware[i];
            var inner = next;
            next = Timed(name, wrap(env => { RecordOf(env).Stop(name); return inner(env); }), isApp: false);
        }
        var pipeline = next;
        return env =>
        {
            var record = new Record();
            env[Key] = record;
            if (env.TryGetValue(OwinKeys.OnSendingHeaders, out var value) && value is Action<Action<object>, object> onSendingHeaders)
            {
                onSendingHeaders(state => record.WriteHeader((IDictionary<string, object>)state), env);
            }
            return pipeline(env);
        };
    }

    private const string Key = "mergepoints.timing";

    private static AppFunc Timed(string name, AppFunc app, bool isApp) => async env =>
    {
        var record = RecordOf(env);
        record.Start(name);
        try
        {
            await app(env);
        }
        finally
        {
            if (isApp)
            {
                record.Stop(name);
            }
        }
    };

    private static Record RecordOf(IDictionary<string, object> env) => (Record)env[Key];

    /// <summary>The times of one request.</summary>
    private sealed class Record
    {
        private readonly List<(string Name, long Started, long Stopped)> _entries = new(8);

        public void Start(string name) => _entries.Add((name, Stopwatch.GetTimestamp(), 0));

        public void Stop(string name)
        {
            for (var i = _entries.Count - 1; i >= 0; i--)
            {
                if (_entries[i].Name == name)
                {
                    if (_entries[i].Stopped == 0)
                    {
                        _entries[i] = _entries[i] with { Stopped = Stopwatch.GetTimestamp() };
                    }
                    return;
                }
            }
        }

        public void WriteHeader(IDictionary<string, object> env)
        {
            var now = Stopwatch.GetTimestamp();
            var header = new StringBuilder(16 * _entries.Count);
            foreach (var (name, started, stopped) in _entries)
            {
                // Whole microseconds, written as milliseconds with three decimals: integer formatting only,
                // since this runs on every request.
                var microseconds = ((stopped == 0 ? now : stopped) - started) * 1_000_000 / Stopwatch.Frequency;
                var fraction = microseconds % 1000;
                header.Append(header.Length == 0 ? "" : ", ").Append(name).Append(";dur=").Append(microseconds / 1000).Append('.')
                    .Append(fraction < 100 ? (fraction < 10 ? "00" : "0") : "").Append(fraction);
            }
            new OwinContext(env).ResponseHeaders[Header] = [header.ToString()];
        }
    }
}
