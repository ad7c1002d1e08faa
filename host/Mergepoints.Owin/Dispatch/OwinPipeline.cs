namespace Mergepoints.Owin.Dispatch;

/// <summary>Composes OWIN middleware in front of an app.</summary>
public static class OwinPipeline
{
    /// <summary>
    /// Wraps <paramref name="app"/> in <paramref name="middleware"/>; the first listed runs first, as it reads.
    /// </summary>
    public static Func<IDictionary<string, object>, Task> Compose(
        IEnumerable<Func<Func<IDictionary<string, object>, Task>, Func<IDictionary<string, object>, Task>>> middleware,
        Func<IDictionary<string, object>, Task> app) =>
        middleware.Reverse().Aggregate(app, (next, wrap) => wrap(next));
}
