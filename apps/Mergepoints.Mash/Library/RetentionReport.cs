namespace Mergepoints.Mash.Library;

/// <summary>What one run of the <see cref="Retention"/> deleted.</summary>
/// <param name="Mashes">Mashes older than the retention (with their output songs).</param>
/// <param name="Songs">Songs older than the retention.</param>
/// <param name="Blobs">Files no song holds any more.</param>
/// <param name="TemporaryFiles">Files a crashed upload or mash left under <c>blobs/tmp</c>.</param>
internal sealed record RetentionReport(int Mashes, int Songs, int Blobs, int TemporaryFiles)
{
    /// <summary>Whether the run deleted anything at all.</summary>
    public bool DeletedAnything => Mashes + Songs + Blobs + TemporaryFiles > 0;
}
