using Mergepoints.Counter.Client;
using Mergepoints.Counter.WriteBehind;

namespace Mergepoints.Counter.Http;

/// <summary>
/// The counter's HTTP interface over counter shards instead of local counts: a host instance in front of several
/// counter processes answers <c>/api</c> exactly as one counter would (same paths, same refusals, plain text or
/// JSON by Accept, <c>no-store</c>), so a site works the same with or without nginx routing songs to the shards.
/// </summary>
/// <remarks>
/// <para>
/// <c>GET</c>/<c>HEAD</c>/<c>POST /song/{id}</c> and an admin's <c>DELETE /song/{id}</c> go to the one shard that
/// owns the song (<see cref="CountClient.ServerFor"/>, where nginx sends it too); <c>GET /</c> merges every shard;
/// an admin's <c>DELETE /</c> and <c>POST /flush</c> go to every shard. The gateway applies the counter's admin rule
/// itself, then forwards the caller's own <c>Cookie</c>: each shard checks the same session (the key ring is shared).
/// </para>
/// <para>
/// A shard that fails is named in a one-line 502, never a 500: publicly by its place ("shard 2 of 3"), since its
/// URL is an internal address; the URL and the whole failure go to the log callback for the operator. <c>GET /</c> is all or nothing: with a shard
/// missing, its songs would read as never played, so the answer is a 502 naming it rather than a partial list.
/// A POST or DELETE whose answer was lost (or that the shard answered with a 5xx) is a 503 with <c>Retry-After</c>
/// saying the outcome is unknown: the gateway sends it once, as <see cref="CountClient"/> does.
/// </para>
/// </remarks>
public static class CounterGateway
{
    /// <summary>
    /// The gateway over <paramref name="shards"/>; the caller owns the client and disposes it after the server stops.
    /// <paramref name="logFailure"/> gets one line per failed shard with its URL (the counter stays on BCL types, so
    /// the host hands in its logger this way).
    /// </summary>
    public static AppFunc Create(CountClient shards, Action<string>? logFailure = null)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var log = logFailure ?? (_ => { });
        return environment => HandleAsync(shards, log, environment);
    }

    private static async Task HandleAsync(CountClient shards, Action<string> log, IDictionary<string, object> environment)
    {
        var headers = environment["owin.RequestHeaders"] as IDictionary<string, string[]>;
        var json = Answer.WantsJson(headers);
        if (!CounterRoutes.TryRoute(environment, json, out var action, out var id, out var refusal))
        {
            await refusal.ConfigureAwait(false);
            return;
        }
        CountClient? admin = null;
        if (action is CounterAction.Reset or CounterAction.ResetSong or CounterAction.Flush && !TryAdminClient(shards, headers, out admin))
        {
            // The caller's Cookie cannot be sent on as it is (CountClient checks it as HttpClient would): the
            // request's fault, so a 400 rather than a 500. Kestrel refuses such a header first; this holds anyway.
            await CounterResponse.Refuse(environment, 400, "The Cookie header cannot be sent on to the counter shards as it is.", json).ConfigureAwait(false);
            return;
        }
        var cancellation = CounterResponse.CallCancelled(environment);
        try
        {
            var answer = action switch
            {
                CounterAction.Count => Answer.Count(id, await shards.GetAsync(id, cancellation).ConfigureAwait(false), json),
                CounterAction.Increment => Answer.Count(id, await shards.IncrementAsync(id, cancellation).ConfigureAwait(false), json),
                CounterAction.All => Answer.All([.. (await shards.GetAllAsync(cancellation).ConfigureAwait(false)).OrderBy(count => count.Key, StringComparer.Ordinal)], json),
                _ => await AsAdminAsync(shards, log, admin!, action, id, environment, json, cancellation).ConfigureAwait(false),
            };
            if (answer is not null)
            {
                await CounterResponse.Respond(environment, 200, answer, json).ConfigureAwait(false);
            }
        }
        catch (CountClientException failure)
        {
            log(failure.Message);
            await ShardFailedAsync(environment, shards, failure, action, json).ConfigureAwait(false);
        }
        catch (PartialCountsException partial)
        {
            log(partial.Message);
            await CounterResponse.Refuse(environment, 502,
                $"Not every counter shard answered, so there is no full count: {shards.Servers.Count - partial.Failures.Count} of {shards.Servers.Count} answered; {Failures(shards, partial.Failures)}.", json).ConfigureAwait(false);
        }
    }

    /// <summary>An admin's action, sent on with the admin's cookie; null after answering a partial failure itself.</summary>
    private static async Task<byte[]?> AsAdminAsync(
        CountClient shards, Action<string> log, CountClient admin, CounterAction action, string id, IDictionary<string, object> environment, bool json, CancellationToken cancellation)
    {
        using (admin)
        {
            switch (action)
            {
                case CounterAction.ResetSong:
                    await admin.ResetSongAsync(id, cancellation).ConfigureAwait(false);
                    return Answer.Ok(json);
                case CounterAction.Reset:
                    var reset = await admin.ResetAsync(cancellation).ConfigureAwait(false);
                    if (reset.AllSucceeded)
                    {
                        return Answer.Ok(json);
                    }
                    await SomeFailedAsync(environment, shards, log, "cleared", reset.Succeeded.Count, reset.Failed, "; a shard not cleared may or may not have been", json).ConfigureAwait(false);
                    return null;
                default:
                    var flush = await admin.FlushAsync(cancellation).ConfigureAwait(false);
                    if (flush.AllSucceeded)
                    {
                        return Answer.Flushed(new WriteBehindResult(0, flush.Songs, flush.Plays, [], PendingFlushOutcome.None), json);
                    }
                    await SomeFailedAsync(environment, shards, log, "flushed", flush.Succeeded.Count, flush.Failed,
                        $" ({flush.Plays} plays of {flush.Songs} songs moved); nothing is lost, the rest stay in their shards", json).ConfigureAwait(false);
                    return null;
            }
        }
    }

    /// <summary>The shards' client carrying the caller's own cookie, which each shard reads as the same admin.</summary>
    private static bool TryAdminClient(CountClient shards, IDictionary<string, string[]>? headers, out CountClient? admin)
    {
        try
        {
            admin = shards.WithHeaders(headers is not null && headers.TryGetValue("Cookie", out var cookie) && cookie.Length > 0
                ? new Dictionary<string, string> { ["Cookie"] = string.Join("; ", cookie) }
                : new Dictionary<string, string>());
            return true;
        }
        catch (ArgumentException)
        {
            admin = null;
            return false;
        }
    }

    private static Task ShardFailedAsync(IDictionary<string, object> environment, CountClient shards, CountClientException failure, CounterAction action, bool json)
    {
        var shard = Name(shards, failure.Server);
        var reason = Public(failure.Reason, failure.Server);
        var what = failure.StatusCode is { } status ? $"answered {(int)status} {reason}" : $"did not answer ({reason})";
        if (failure.OutcomeUnknown)
        {
            var outcome = action switch
            {
                CounterAction.Increment => "this play may or may not have been counted",
                _ => "the song's count may or may not have been cleared",
            };
            return CounterResponse.Unavailable(environment, 30, $"The counter {shard} {what}; {outcome}. Try again later.", json);
        }
        return CounterResponse.Refuse(environment, 502, $"The counter {shard} {what}.", json);
    }

    private static Task SomeFailedAsync(
        IDictionary<string, object> environment, CountClient shards, Action<string> log, string done, int succeeded, IReadOnlyList<ServerFailure> failed, string consequence, bool json)
    {
        foreach (var failure in failed)
        {
            log($"The counter shard {failure.Server} was not {done}: {(failure.StatusCode is { } status ? $"answered {(int)status} " : "")}{failure.Reason}");
        }
        return CounterResponse.Refuse(environment, 502,
            $"{succeeded} of {succeeded + failed.Count} counter shards {done}{consequence}: {Failures(shards, failed)}.", json);
    }

    private static string Failures(CountClient shards, IReadOnlyList<ServerFailure> failed) => string.Join("; ", failed.Select(failure =>
        $"{Name(shards, failure.Server)}: {(failure.StatusCode is { } status ? $"answered {(int)status} " : "")}{Public(failure.Reason, failure.Server)}"));

    /// <summary>A shard as the public may see it: its place in the configured list, not its internal address.</summary>
    private static string Name(CountClient shards, Uri server)
    {
        var index = -1;
        for (var i = 0; i < shards.Servers.Count && index < 0; i++)
        {
            index = shards.Servers[i] == server ? i : -1;
        }
        return index < 0 ? "shard" : $"shard {index + 1} of {shards.Servers.Count}";
    }

    /// <summary>A failure's reason without the shard's address, which HttpClient puts in (<c>Connection refused (10.0.0.5:7001)</c>).</summary>
    private static string Public(string reason, Uri server) => OneLine(reason
        .Replace($" ({server.Authority})", "", StringComparison.OrdinalIgnoreCase)
        .Replace(server.AbsoluteUri, "the shard", StringComparison.OrdinalIgnoreCase)
        .Replace(server.Authority, "the shard", StringComparison.OrdinalIgnoreCase));

    private static string OneLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');
}
