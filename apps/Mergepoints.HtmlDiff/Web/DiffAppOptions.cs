namespace Mergepoints.HtmlDiff.Web;

/// <summary>The diff app's settings (section <c>HtmlDiff</c> of the host's appsettings.json).</summary>
public sealed class DiffAppOptions
{
    /// <summary>The default body limit: 10 MiB.</summary>
    public const long DefaultMaxBodyBytes = 10L * 1024 * 1024;

    /// <summary>
    /// The largest request body the app reads. Both documents arrive in one body and the diff holds them whole
    /// in memory, so the limit is what caps one request's memory; a larger body is answered 413 unread.
    /// </summary>
    public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>What is wrong with these settings, in one line, or null when the app can run on them.</summary>
    public string? Problem() => MaxBodyBytes < 1 || MaxBodyBytes > Array.MaxLength
        // The body is held in one array, which caps it below 2 GiB.
        ? $"MaxBodyBytes must be between 1 and {Array.MaxLength} bytes, not {MaxBodyBytes}"
        : null;
}
