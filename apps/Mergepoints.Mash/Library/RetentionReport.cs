namespace Mergepoints.Mash.Library;

/// <summary>What one run of the <see cref="Retention"/> deleted.</summary>
/// <param name="Mashes">Mashes older than the retention (with their output songs).</param>
/// <param name="Songs">Songs older than the retention.</param>
/// <param name="Blobs">Files no song holds any more.</param>
/// <param name="TemporaryFiles">Files a crashed upload, mash or delete left under <c>blobs/tmp</c>.</param>
/// <param name="Restored">Files a crash left under <c>blobs/tmp</c> that a song holds, put back in place.</param>
internal sealed record RetentionReport(int Mashes, int Songs, int Blobs, int TemporaryFiles, int Restored)
{
    /// <summary>Whether the run deleted or put back anything at all.</summary>
    public bool DidAnything => Mashes + Songs + Blobs + TemporaryFiles + Restored > 0;
}
