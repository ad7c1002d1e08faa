#pragma warning disable CS9113 // CONTRACT STUB: the bodies come with the library; remove this line then.
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Middleware.Data;

namespace Mergepoints.Mash.Library;

/// <summary>The <c>mashups</c> table beside the job queue: asking for a mash, following it, and taking it back.</summary>
public sealed class MashupStore(Datastore datastore, JobQueue jobs, SongStore songs)
{
    /// <summary>
    /// Records the mash and enqueues its job. Throws <see cref="KeyNotFoundException"/> naming a song that does not
    /// exist and <see cref="ArgumentException"/> for options no mash can honour.
    /// </summary>
    public Task<Mashup> SubmitAsync(string songAId, string songBId, MashOptions options, bool isPublic, string ownerUserId, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>The mash with its job's state, or null.</summary>
    public Task<Mashup?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>One user's mashes, newest first, whatever their state.</summary>
    public Task<Paged<Mashup>> ListByOwnerAsync(string ownerUserId, int page, int pageSize, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>The gallery: public mashes that are done, newest first.</summary>
    public Task<Paged<Mashup>> ListGalleryAsync(int page, int pageSize, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Cancels its job if still queued, deletes its output song (and blob) and the mash; false when there was none.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotImplementedException();
}
