using Mergepoints.Mash.Engine.Analysis;
using Mergepoints.Mash.Engine.Mashing;

namespace Mergepoints.Mash.Engine.Tests.Mashing;

public sealed class MatcherTests
{
    private static Segment Unit(float pitch, float timbre, double loudness = -20, double duration = 0.25) =>
        new(0, duration, Enumerable.Repeat(timbre, 12).ToArray(), Enumerable.Range(0, 12).Select(i => i == (int)pitch ? 1f : 0.1f).ToArray(), loudness, loudness, 0);

    [Theory]
    [InlineData(MashMode.Classic)]
    [InlineData(MashMode.Smooth)]
    public void Ties_go_to_the_lowest_index(MashMode mode)
    {
        Segment[] b = [Unit(2, 5), Unit(9, 40), Unit(9, 40)];

        Assert.Equal([1], Matcher.Match([Unit(9, 40)], b, mode, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Classic_is_the_plain_squared_distance_so_timbre_s_big_numbers_outweigh_pitch()
    {
        Segment[] b = [Unit(9, 50), Unit(0, 44)];

        Assert.Equal([1], Matcher.Match([Unit(9, 40)], b, MashMode.Classic, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Smooth_lets_pitch_win_over_a_small_timbre_difference()
    {
        // The same spread of timbre as above, but standardized: the right note now matters more.
        Segment[] b = [Unit(9, 50), Unit(0, 44), Unit(4, 30), Unit(7, 60)];

        Assert.Equal([0], Matcher.Match([Unit(9, 40)], b, MashMode.Smooth, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Smooth_weighs_the_length()
    {
        Segment[] b = [Unit(9, 40, duration: 2), Unit(9, 40, duration: 0.2)];

        Assert.Equal([1], Matcher.Match([Unit(9, 40, duration: 0.25)], b, MashMode.Smooth, null, TestContext.Current.CancellationToken));
    }
}
