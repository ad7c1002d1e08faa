using System.Text.Json.Serialization;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;

namespace Mergepoints.Mash.Web;

/// <summary>
/// Where a mash is, as the mash page, its event stream and <c>/status</c> all tell it: <c>queued</c>,
/// <c>running</c> (with the engine's stage and a percentage), <c>done</c> (with its song's URLs) or <c>failed</c>
/// (with the reason). Serialized as it is, it is the polling answer.
/// </summary>
public sealed record MashState
{
    /// <summary>queued, running, done or failed.</summary>
    public required string Status { get; init; }

    /// <summary>What the worker is doing, in words: "analysing A", "rendering".</summary>
    public required string Stage { get; init; }

    /// <summary>0 to 100; 100 only once done.</summary>
    public required int Percent { get; init; }

    /// <summary>The finished mash's song, when done.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SongId { get; init; }

    /// <summary>Where to listen to it, when done.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AudioUrl { get; init; }

    /// <summary>Where to download it, when done.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DownloadUrl { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>Whether nothing will change any more.</summary>
    [JsonIgnore]
    public bool IsFinal => Status is Done or Failed;

    internal const string Done = "done";
    internal const string Failed = "failed";

    /// <summary>The state of <paramref name="mash"/>, with its song's URLs under <paramref name="page"/>'s base.</summary>
    public static MashState Of(Mashup mash, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(mash);
        ArgumentNullException.ThrowIfNull(page);
        return mash.Status switch
        {
            JobStatus.Succeeded when mash.OutputSongId is { } song => new MashState
            {
                Status = Done,
                Stage = "done",
                Percent = 100,
                SongId = song,
                AudioUrl = page.Link($"/songs/{song}/audio"),
                DownloadUrl = page.Link($"/mashes/{mash.Id}/download"),
            },
            // The job is done but the mash has not recorded its song yet: a moment of bookkeeping.
            JobStatus.Succeeded => Running("saving", 0.99),
            JobStatus.Failed => new MashState { Status = Failed, Stage = "failed", Percent = 0, Error = mash.Error ?? "The mash failed." },
            JobStatus.Cancelled => new MashState { Status = Failed, Stage = "cancelled", Percent = 0, Error = "The mash was cancelled before it started." },
            _ => Running(mash.Status, mash.ProgressStage, mash.Progress, mash.Error),
        };
    }

    /// <summary>The state of a mash whose job is still queued or running.</summary>
    internal static MashState Of(Job job) => Running(job.Status, job.ProgressStage, job.Progress, job.Error);

    private static MashState Running(JobStatus status, string? stage, double progress, string? lastError) => status == JobStatus.Queued
        ? new MashState { Status = "queued", Stage = lastError is null ? "waiting for a worker" : "waiting to try again", Percent = PercentOf(progress) }
        : Running(stage ?? "starting", progress);

    private static MashState Running(string stage, double progress) => new() { Status = "running", Stage = stage, Percent = PercentOf(progress) };

    // A mash that is not done never shows 100%: the bar reaching the end means the song is there.
    private static int PercentOf(double progress) => double.IsNaN(progress) ? 0 : (int)Math.Min(99, Math.Floor(Math.Clamp(progress, 0, 1) * 100));
}
