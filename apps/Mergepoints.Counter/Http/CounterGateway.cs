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
/// A shard that fails is named in a one-line 502, never a 500. <c>GET /</c> is all or nothing: with a shard
/// missing, its songs would read as never played, so the answer is a 502 naming it rather than a partial list.
/// A POST or DELETE whose answer was lost (or that the shard answered with a 5xx) is a 503 with <c>Retry-After</c>
/// saying the outcome is unknown: the gateway sends it once, as <see cref="CountClient"/> does.
/// </para>
/// </remarks>
public static class CounterGateway
{
    /// <summary>The gateway over <paramref name="shards"/>; the caller owns the client and disposes it after the server stops.</summary>
    public static AppFunc Create(CountClient shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        return environment => HandleAsync(shards, environment);
    }

    private static async Task HandleAsync(CountClient shards, IDictionary<string, object> environment)
    {
        var headers = environment["owin.RequestHeaders"] as IDictionary<string, string[]>;
        var json = Answer.WantsJson(headers);
        if (!CounterRoutes.TryRoute(environment, json, out var action, out var id, out var refusal))
        {
            await refusal.ConfigureAwait(false);
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
                _ => await AsAdminAsync(AdminClient(shards, headers), action, id, environment, json, cancellation).ConfigureAwait(false),
            };
            if (answer is not null)
            {
                await CounterResponse.Respond(environment, 200, answer, json).ConfigureAwait(false);
            }
        }
        catch (CountClientException failure)
        {
            await ShardFailedAsync(environment, failure, action, json).ConfigureAwait(false);
        }
        catch (PartialCountsException partial)
        {
            await CounterResponse.Refuse(environment, 502, $"Not every counter shard answered, so there is no full count: {OneLine(partial.Message)}", json).ConfigureAwait(false);
        }
    }

    /// <summary>An admin's action, sent on with the admin's cookie; null after answering a partial failure itself.</summary>
    private static async Task<byte[]?> AsAdminAsync(
        CountClient admin, CounterAction action, string id, IDictionary<string, object> environment, bool json, CancellationToken cancellation)
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
                    await SomeFailedAsync(environment, "cleared", reset.Succeeded.Count, reset.Failed, "; a shard not cleared may or may not have been", json).ConfigureAwait(false);
                    return null;
                default:
                    var flush = await admin.FlushAsync(cancellation).ConfigureAwait(false);
                    if (flush.AllSucceeded)
                    {
                        return Answer.Flushed(new WriteBehindResult(0, flush.Songs, flush.Plays, [], PendingFlushOutcome.None), json);
                    }
                    await SomeFailedAsync(environment, "flushed", flush.Succeeded.Count, flush.Failed,
                        $" ({flush.Plays} plays of {flush.Songs} songs moved); nothing is lost, the rest stay in their shards", json).ConfigureAwait(false);
                    return null;
            }
        }
    }

    /// <summary>The shards' client carrying the caller's own cookie, which each shard reads as the same admin.</summary>
    private static CountClient AdminClient(CountClient shards, IDictionary<string, string[]>? headers) =>
        shards.WithHeaders(headers is not null && headers.TryGetValue("Cookie", out var cookie) && cookie.Length > 0
            ? new Dictionary<string, string> { ["Cookie"] = string.Join("; ", cookie) }
            : new Dictionary<string, string>());

    private static Task ShardFailedAsync(IDictionary<string, object> environment, CountClientException failure, CounterAction action, bool json)
    {
        var shard = failure.Server.AbsoluteUri;
        var what = failure.StatusCode is { } status ? $"answered {(int)status} {OneLine(failure.Reason)}" : $"did not answer ({OneLine(failure.Reason)})";
        if (failure.OutcomeUnknown)
        {
            var outcome = action switch
            {
                CounterAction.Increment => "this play may or may not have been counted",
                _ => "the song's count may or may not have been cleared",
            };
            return CounterResponse.Unavailable(environment, 30, $"The counter shard {shard} {what}; {outcome}. Try again later.", json);
        }
        return CounterResponse.Refuse(environment, 502, $"The counter shard {shard} {what}.", json);
    }

    private static Task SomeFailedAsync(IDictionary<string, object> environment, string done, int succeeded, IReadOnlyList<ServerFailure> failed, string consequence, bool json)
    {
        var failures = string.Join("; ", failed.Select(failure =>
            $"{failure.Server} {(failure.StatusCode is { } status ? $"answered {(int)status} " : "")}{OneLine(failure.Reason)}"));
        return CounterResponse.Refuse(environment, 502,
            $"{succeeded} of {succeeded + failed.Count} counter shards {done}{consequence}: {failures}.", json);
    }

    private static string OneLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');
}
