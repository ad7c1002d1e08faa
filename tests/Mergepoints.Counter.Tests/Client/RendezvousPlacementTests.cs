using System.Globalization;
using Mergepoints.Counter.Client;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>
/// Where <see cref="CountClient.ServerFor"/> puts songs. Ids are "0" to "29999": sequential numbers, as the
/// original counter's ids were, are the hardest case for a hash.
/// </summary>
/// <remarks>
/// Shares are checked against a band of five standard deviations of the binomial count a truly random placement
/// would give (a fair random placement falls outside it once in about 1.7 million runs). For 30,000 songs that is
/// about ±4% of a third and ±5% of a quarter: tight enough to catch a skewed hash, loose enough to be no lucky pick.
/// </remarks>
public sealed class RendezvousPlacementTests
{
    private const int Songs = 30_000;
    private static readonly string[] Ids = Enumerable.Range(0, Songs).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly Uri[] Four = [new("http://counter-1:5000/"), new("http://counter-2:5000/"), new("http://counter-3:5000/"), new("http://counter-4:5000/api/")];

    private static readonly string[] PinnedIds = ["1", "5", "42", "café", "song-7"];

    [Fact]
    public void Placement_does_not_depend_on_the_order_or_spelling_of_the_server_list()
    {
        using var client = Client(Four);
        using var shuffled = Client([new("HTTP://Counter-4:5000/api"), new("http://counter-2:5000"), new("http://COUNTER-1:5000/"), new("http://counter-3:5000")]);

        Assert.All(Ids, id => Assert.Equal(client.ServerFor(id), shuffled.ServerFor(id)));
    }

    [Fact]
    public void Placement_is_the_same_in_every_process_and_version()
    {
        // Pinned once: clients of different builds (a rolling deploy) must agree, so a change here moves every song
        // of every deployment. Change the hash only together with a plan to move the counts.
        using var client = Client(Four[..3]);

        Assert.Equal(
            ["http://counter-3:5000/", "http://counter-3:5000/", "http://counter-1:5000/", "http://counter-3:5000/", "http://counter-2:5000/"],
            PinnedIds.Select(id => client.ServerFor(id).AbsoluteUri));
    }

    [Fact]
    public void Three_servers_get_a_third_of_the_songs_each()
    {
        using var client = Client(Four[..3]);

        var shares = Ids.CountBy(client.ServerFor).ToDictionary();

        Assert.Equal(3, shares.Count);
        Assert.All(shares.Values, share => AssertNear(Songs / 3.0, share, Songs, 1 / 3.0));
    }

    [Fact]
    public void A_fourth_server_takes_a_quarter_of_the_songs_all_from_the_others_and_nothing_moves_between_them()
    {
        using var three = Client(Four[..3]);
        using var four = Client(Four);

        var moved = Ids.Where(id => three.ServerFor(id) != four.ServerFor(id)).ToArray();

        AssertNear(Songs / 4.0, moved.Length, Songs, 1 / 4.0);
        Assert.All(moved, id => Assert.Equal(Four[3], four.ServerFor(id)));
    }

    [Fact]
    public void Removing_a_server_moves_only_its_songs_and_spreads_them_over_the_rest()
    {
        using var three = Client(Four[..3]);
        using var two = Client([Four[0], Four[2]]);

        var moved = Ids.Where(id => three.ServerFor(id) != two.ServerFor(id)).ToArray();
        var orphans = Ids.Where(id => three.ServerFor(id) == Four[1]).ToArray();

        Assert.Equal(orphans, moved);
        // No single neighbour inherits them all, as on a hash ring without virtual nodes.
        var heirs = orphans.CountBy(two.ServerFor).ToDictionary();
        Assert.Equal(2, heirs.Count);
        Assert.All(heirs.Values, share => AssertNear(orphans.Length / 2.0, share, orphans.Length, 1 / 2.0));
    }

    [Fact]
    public void Any_single_server_owns_every_song()
    {
        using var client = Client([Four[3]]);

        Assert.All(Ids.Take(100), id => Assert.Equal(Four[3], client.ServerFor(id)));
    }

    [Theory]
    [InlineData("", "The song id is empty.")]
    [InlineData("a/b", "A song id cannot contain '/'.")]
    [InlineData("a%2Fb", "A song id cannot contain '/'.")]
    [InlineData("..", "A song id cannot be '..': a URL path drops it.")]
    public void A_bad_id_has_no_server(string id, string reason)
    {
        using var client = Client(Four);

        var error = Assert.Throws<ArgumentException>(() => client.ServerFor(id));

        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_of_128_bytes_has_a_server_and_one_of_129_does_not()
    {
        using var client = Client(Four);

        Assert.Contains(client.ServerFor(new string('é', 64)), Four);
        Assert.Throws<ArgumentException>(() => client.ServerFor(new string('é', 64) + "x"));
    }

    private static CountClient Client(Uri[] servers) => new(new CountClientOptions { Servers = servers });

    private static void AssertNear(double expected, int actual, int trials, double probability)
    {
        var band = 5 * Math.Sqrt(trials * probability * (1 - probability));
        Assert.InRange(actual, expected - band, expected + band);
    }
}
