using System.Globalization;
using System.Text.Json;

namespace Mergepoints.Mash.Jobs;

/// <summary>
/// A diagnostic job kind, <c>sleep</c>, for operators to see a deployment's workers take, run, retry and finish
/// jobs without a real mash: payload <c>{"seconds": 3, "fail": false}</c>; it sleeps, reporting progress, then
/// answers <c>{"slept": 3}</c>, or fails with a message when asked to.
/// </summary>
public static class SleepJob
{
    /// <summary>The kind name.</summary>
    public const string Kind = "sleep";

    private const int Steps = 20;

    /// <summary>The handler.</summary>
    public static async Task<string?> RunAsync(Job job, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        using var payload = JsonDocument.Parse(job.Payload);
        var root = payload.RootElement;
        var seconds = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("seconds", out var value) && value.TryGetDouble(out var s) && s >= 0
            ? s
            : throw new ArgumentException("A sleep job's payload is {\"seconds\": n, \"fail\": false} with n of 0 or more.");
        for (var step = 1; step <= Steps; step++)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds / Steps), cancellationToken).ConfigureAwait(false);
            progress.Report(new JobProgress("sleeping", (double)step / Steps));
        }
        if (root.TryGetProperty("fail", out var fail) && fail.ValueKind == JsonValueKind.True)
        {
            throw new InvalidOperationException("The sleep job failed because its payload asked it to.");
        }
        return string.Create(CultureInfo.InvariantCulture, $$"""{"slept": {{seconds}}}""");
    }
}
