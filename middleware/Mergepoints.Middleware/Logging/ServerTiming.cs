using System.Diagnostics;
using System.Text;
using Mergepoints.Owin.Contract;

namespace Mergepoints.Middleware.Logging;

/// <summary>
/// Builds the host's pipeline so that its <c>Server-Timing</c> header tells where a request's time went: each
/// middleware's own work (from its start until the next one starts) and the app's (until the headers go out).
/// Browsers show it in their network panel. It costs one timestamp per step: no wrapper awaits anything.
/// </summary>
public static class ServerTiming
{
    /// <summary>The header's name.</summary>
    public const string Header = "Server-Timing";

    private const string Key = "mergepoints.timing";

    /// <summary>Composes <paramref name="middleware"/> (outermost first) in front of <paramref name="app"/>, timing each.</summary>
    public static AppFunc Compose(IReadOnlyList<(string Name, MidFunc Middleware)> middleware, AppFunc app)
    {
        string[] names = [.. middleware.Select(m => m.Name), "app"];
        var next = Marked(names.Length - 1, app);
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            next = Marked(i, middleware[i].Middleware(next));
        }
        var pipeline = next;
        return env =>
        {
            var record = new Record(names);
            env[Key] = record;
            if (env.TryGetValue(OwinKeys.OnSendingHeaders, out var value) && value is Action<Action<object>, object> onSendingHeaders)
            {
                onSendingHeaders(static state => ((Record)((IDictionary<string, object>)state)[Key]).WriteHeader((IDictionary<string, object>)state), env);
            }
            return pipeline(env);
        };
    }

    private static AppFunc Marked(int step, AppFunc app) => env =>
    {
        ((Record)env[Key]).Mark(step);
        return app(env);
    };

    /// <summary>When each step of one request began.</summary>
    private sealed class Record(string[] names)
    {
        private readonly long[] _started = new long[names.Length];

        public void Mark(int step) => _started[step] = Stopwatch.GetTimestamp();

        public void WriteHeader(IDictionary<string, object> env)
        {
            var now = Stopwatch.GetTimestamp();
            var header = new StringBuilder(16 * names.Length);
            for (var i = 0; i < names.Length && _started[i] != 0; i++)
            {
                var ended = i + 1 < names.Length && _started[i + 1] != 0 ? _started[i + 1] : now;
                // Whole microseconds, written as milliseconds with three decimals: integer formatting only,
                // since this runs on every request.
                var microseconds = (ended - _started[i]) * 1_000_000 / Stopwatch.Frequency;
                var fraction = microseconds % 1000;
                header.Append(i == 0 ? "" : ", ").Append(names[i]).Append(";dur=").Append(microseconds / 1000).Append('.')
                    .Append(fraction < 100 ? (fraction < 10 ? "00" : "0") : "").Append(fraction);
            }
            new OwinContext(env).ResponseHeaders[Header] = [header.ToString()];
        }
    }
}
