using System.Globalization;
using Mergepoints.Counter.Client;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>
/// Where <see cref="CountClient.ServerFor"/> puts songs. Ids are "0" to "29999": sequential numbers, as the
/// original counter's ids were, are the hardest case for a hash. (<see cref="NginxHashPlacementTests"/> shows that
/// nginx agrees; these pin down what the placement does, with or without nginx on the machine.)
/// </summary>
/// <remarks>
/// nginx's ring gives each server 160 points, so a server's share of the songs is the length of 160 arcs: uneven by
/// about 8% of the fair share (one standard deviation), far more than the songs' own sampling noise. Shares are
/// checked to be within 25% of fair, about three of those deviations: loose enough for the ring nginx really
/// builds, tight enough to catch a placement that favours a server or ignores one.
/// </remarks>
public sealed class PlacementTests
{
    private const int Songs = 30_000;
    private static readonly string[] Ids = Enumerable.Range(0, Songs).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly Uri[] Four = [new("http://counter-1:5000/"), new("http://counter-2:5000/"), new("http://counter-3:5000/"), new("http://counter-4:5000/api/")];

    private static readonly string[] PinnedIds = ["1", "5", "42", "café", "song-7", "7", "9"];

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
        // Read off nginx 1.22 with "hash $song consistent" over "server 127.0.0.1:7001;" to 7003 (the repo's
        // nginx.d shards and one more): clients of different builds (a rolling deploy) and nginx must agree, so a
        // change here moves every song of every deployment.
        using var client = Client([new("http://127.0.0.1:7001/api/"), new("http://127.0.0.1:7002/api/"), new("http://127.0.0.1:7003/api/")]);

        Assert.Equal([7003, 7003, 7002, 7003, 7001, 7002, 7001], PinnedIds.Select(id => client.ServerFor(id).Port));
    }

    [Fact]
    public void Two_urls_on_one_host_and_port_are_refused_since_the_placement_cannot_tell_them_apart()
    {
        var error = Assert.Throws<ArgumentException>(() => Client([new("http://counter-1:5000/api/"), new("http://counter-1:5000/other/")]));

        Assert.StartsWith("The counter servers http://counter-1:5000/api/ and http://counter-1:5000/other/ share counter-1:5000;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_servers_get_a_third_of_the_songs_each()
    {
        using var client = Client(Four[..3]);

        var shares = Ids.CountBy(client.ServerFor).ToDictionary();

        Assert.Equal(3, shares.Count);
        Assert.All(shares.Values, share => AssertNear(Songs / 3.0, share));
    }

    [Fact]
    public void A_fourth_server_takes_a_quarter_of_the_songs_all_from_the_others_and_nothing_moves_between_them()
    {
        using var three = Client(Four[..3]);
        using var four = Client(Four);

        var moved = Ids.Where(id => three.ServerFor(id) != four.ServerFor(id)).ToArray();

        AssertNear(Songs / 4.0, moved.Length);
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
        Assert.All(heirs.Values, share => AssertNear(orphans.Length / 2.0, share));
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

    private static void AssertNear(double fair, int actual) => Assert.InRange(actual, fair * 0.75, fair * 1.25);
}
