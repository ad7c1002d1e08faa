namespace Mergepoints.Mash.Jobs;

/// <summary>
/// Which handler runs which kind of job. The host builds one, each app adds its kinds while it mounts, and the
/// workers read it once they start, so every worker of a process runs the same kinds.
/// </summary>
public sealed class JobHandlers
{
    private readonly Dictionary<string, JobHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>The kinds there are handlers for, sorted.</summary>
    public IReadOnlyList<string> Kinds
    {
        get
        {
            lock (_handlers)
            {
                return [.. _handlers.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Makes <paramref name="handler"/> the one for <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">The kind already has a handler: two apps claim one kind.</exception>
    public JobHandlers Add(string kind, JobHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
        {
            if (!_handlers.TryAdd(kind, handler))
            {
                throw new InvalidOperationException($"Job kind {kind} already has a handler.");
            }
        }
        return this;
    }

    /// <summary>The handler for <paramref name="kind"/>, or null when this process runs no such kind.</summary>
    public JobHandler? Find(string kind)
    {
        lock (_handlers)
        {
            return _handlers.GetValueOrDefault(kind);
        }
    }
}
