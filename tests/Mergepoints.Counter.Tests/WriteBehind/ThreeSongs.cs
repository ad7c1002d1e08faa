using Mergepoints.Counter.Storage;

namespace Mergepoints.Counter.Tests.WriteBehind;

/// <summary>The plays the write-behind and admin tests start from: a once, b twice, c three times, 6 in all.</summary>
internal static class ThreeSongs
{
    public static readonly string[] Ids = ["a", "b", "c"];

    /// <summary>Plays a 1×, b 2×, c 3×, <paramref name="rounds"/> times over.</summary>
    public static async Task PlayAsync(PlayCounts counts, int rounds = 1)
    {
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < Ids.Length; i++)
            {
                for (var play = 0; play <= i; play++)
                {
                    await counts.IncrementAsync(Ids[i], TestContext.Current.CancellationToken);
                }
            }
        }
    }
}
