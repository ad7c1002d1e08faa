using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.WriteBehind;

/// <summary>
/// A flush that comes while another of the same counts runs (an admin's while the loop's, or another write-behind
/// over the same counter) waits for it, then flushes what came since.
/// </summary>
public sealed class OneFlushAtATimeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(DatastoreKind.Sqlite, false)]
    [InlineData(DatastoreKind.Sqlite, true)]
    [InlineData(DatastoreKind.Postgres, false)]
    [InlineData(DatastoreKind.Postgres, true)]
    public async Task A_flush_asked_for_during_another_waits_for_it_and_then_flushes_the_plays_since(DatastoreKind kind, bool fromAnotherWriteBehind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, "a", "b");
        await using var counts = await PlayCounts.OpenAsync(new CounterOptions { Directory = _directory.Path }, Cancel);
        for (var play = 0; play < 3; play++)
        {
            await counts.IncrementAsync("a", Cancel);
        }
        var first = new SongsWriteBehind(counts, database.OpenAsync);
        var other = fromAnotherWriteBehind ? new SongsWriteBehind(counts, database.OpenAsync) : first;
        Task<WriteBehindResult>? second = null;
        first.BeforeFlushBegin = async _ =>
        {
            first.BeforeFlushBegin = null;
            second = other.FlushAsync(Cancel);
            // Between the first's read and its begin: had the second read the counts now, it would have made the
            // first forget this reset of a.
            await counts.ResetSongAsync("a", Cancel);
            await counts.IncrementAsync("a", Cancel);
            await counts.IncrementAsync("b", Cancel);
            await counts.IncrementAsync("b", Cancel);
            Assert.False(second.IsCompleted);
        };

        var firstResult = await first.FlushAsync(Cancel);
        var secondResult = await second!;

        // a's three cleared plays never reached the database; every play since did, once.
        Assert.Equal(3, firstResult.Plays + secondResult.Plays);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }, await database.PlayCountsAsync());
        Assert.Empty(counts.All());
    }
}
