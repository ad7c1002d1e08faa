using Mergepoints.Counter.Storage;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.WriteBehind;

/// <summary>An admin's flush that comes while the loop's runs waits for it, then flushes what came since.</summary>
public sealed class OneFlushAtATimeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_flush_asked_for_during_another_waits_and_then_flushes_the_plays_since(DatastoreKind kind)
    {
        await using var database = await SongsDatabase.CreateAsync(kind, "a", "b");
        await using var counts = await PlayCounts.OpenAsync(new CounterOptions { Directory = _directory.Path }, Cancel);
        await counts.IncrementAsync("a", Cancel);
        Task<WriteBehindResult>? second = null;
        var writeBehind = new SongsWriteBehind(counts, database.OpenAsync);
        writeBehind.BeforeDatabaseCommit = async _ =>
        {
            writeBehind.BeforeDatabaseCommit = null;
            second = writeBehind.FlushAsync(Cancel);
            await counts.IncrementAsync("b", Cancel);
            await counts.IncrementAsync("b", Cancel);
            // It cannot have begun: the first still holds its turn.
            Assert.False(second.IsCompleted);
        };

        var first = await writeBehind.FlushAsync(Cancel);
        var then = await second!;

        Assert.Equal((1, 1L), (first.Songs, first.Plays));
        Assert.Equal((1, 2L), (then.Songs, then.Plays));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }, await database.PlayCountsAsync());
        Assert.Empty(counts.All());
    }
}
